"""File formats in and out: XLIFF 1.2 segment files, Microsoft's bilingual sxs Markdown, TMX, DocFX docset files."""
