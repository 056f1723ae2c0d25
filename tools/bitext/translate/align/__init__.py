"""Alignment without ids: translated Markdown brought into segment files (``bitext align``).

``sentences`` cuts both sides into blocks and sentences with their Markdown
structure, ``anchors`` says what a sentence must keep in any language,
``aligner`` pairs them by dynamic programming, ``merge`` turns the pairs into
a segment file and ``run`` does it for a whole project.
"""
