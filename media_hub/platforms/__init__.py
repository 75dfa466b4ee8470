"""The platforms media-hub publishes to, one folder each, found through `registry`."""
