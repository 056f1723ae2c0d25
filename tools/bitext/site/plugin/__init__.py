"""The ``bitext`` MkDocs plugin: a thin adapter from MkDocs' build events to ``bitext.site``."""
