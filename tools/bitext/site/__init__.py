"""The reading site: the MkDocs plugin and what it renders (side by side, DocFX Markdown, home page, scaffold)."""
