"""media-hub: the catalog and publishing tool of a public employment service's channel."""

__version__ = "0.1.0"
