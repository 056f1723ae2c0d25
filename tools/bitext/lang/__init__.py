"""Facts about the languages a site is translated into, one module per language.

The lowest layer: it imports nothing of bitext, and both the translators'
QA (``bitext.translate.qa``) and the site search (``bitext.search``) read
their language facts here rather than each writing their own.
"""
