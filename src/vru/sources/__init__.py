"""One module per real data source: read, validate, normalise (and download where the source allows)."""
