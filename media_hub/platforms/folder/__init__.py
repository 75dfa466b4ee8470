"""A folder as a platform: export bundles, for when a platform's API is closed."""
