"""The model and the transforms every stage shares, independent of file formats and of MkDocs.

Segments and segment files (``model``), the vocabularies of translation
states (``states``) and of severities (``severity``), findings (``errors``), strict reading
and atomic writing (``files``), front matter, inline markup, segmentation of
English Markdown, the skeleton (where each segment sits in its article) and
compiling an article from its skeleton and targets.  Nothing here imports
another part of bitext.
"""
