"""The one error of the bundle contract."""

from __future__ import annotations


class BundleError(ValueError):
    """The folder is not a bundle this toolkit can read or write; the message says which file and what to do."""
