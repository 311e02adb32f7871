"""Helpers every portal app may use (words and numbers, slugs, pagination, the rate limit): a plain package, not
an app, in the layer just above `portal.insights`, so that accounts' pages and the apps above them share one
copy without importing each other."""
