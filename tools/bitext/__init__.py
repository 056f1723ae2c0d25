"""bitext: bilingual documentation from English Markdown and XLIFF segment files."""

__version__ = "0.1.0"
