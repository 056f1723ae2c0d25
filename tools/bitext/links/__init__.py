"""Link validation across languages: scanning pages, resolving targets on the site, checking external URLs."""
