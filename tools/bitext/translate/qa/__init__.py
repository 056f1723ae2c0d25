"""Translation QA: checks that compare each trans-unit's target with its source.

Modelled on Translate Toolkit's checks (``translate.filters.checks``): one
function per check, its docstring's first line says what it catches, and it
yields one message per problem in a unit.  Unlike pofilter the checks know
that segments are Markdown: links, code spans, emphasis and raw HTML are
found with ``bitext.core.markup`` and markdown-it, so "https://x)를" is a link
followed by a particle, not a changed URL.

Severities are configurable per check (``error``, ``warning``, ``info``,
``off``); a translator silences a check on one unit with a note
``<note from="bitext-check">ignore CHECK[, CHECK]</note>``, as Weblate's
``ignore-*`` flags do.  Only units whose translation is or may become
published are checked: ``new``/``needs-translation`` targets are proposals.

The package owns, lowest first:

- ``glossary``: the project's terminology (``locales/<lang>/glossary.tsv``) read into ``Term``s;
- ``pair``: the unit being checked, its source and target ``Side``s with their
  markup, numbers and placeholders found once, and the language's ``Resources``;
- ``checks``: the registry ``CHECKS`` and one function per check;
- ``runner``: severities, ignore notes, which units are checked, and
  ``check_project``, which runs every check over a project into a ``Report``.
"""
