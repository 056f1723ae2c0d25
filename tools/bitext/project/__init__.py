"""A bitext project on disk: its layout and settings, reading its articles and segment files, importing corpora."""
