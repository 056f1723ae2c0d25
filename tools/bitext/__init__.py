"""bitext: bilingual documentation from English Markdown and XLIFF segment files.

The subpackages follow the data flow (ARCHITECTURE.md draws it), lowest first:

- ``lang``: facts about the target languages (Korean syllables, magnitudes, split words);
- ``core``: the model, segmentation of English Markdown, the skeleton, compiling an article;
- ``formats``: XLIFF segment files (the store), Microsoft's sxs Markdown, TMX, DocFX files;
- ``project``: a project on disk, its mkdocs.yml settings and site files, importing a corpus;
- ``translate``: update after English edits, align, QA checks, translation memory, stats;
- ``links``: link validation in every language;
- ``search``: the per-language site search index and its browser worker;
- ``site``: the reading site and ``site.plugin``, the MkDocs plugin;
- ``cli`` and ``bench``: the command line and the benchmarks, on top.

A module imports only its own stage and lower ones (tests/test_architecture.py).
"""

__version__ = "0.1.0"
