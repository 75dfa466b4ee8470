"""SlideShare: the REST API v2 client, its credentials and errors, and conversion polling."""

SLIDESHARE = "slideshare"  # the platform's name in series.toml, settings and catalog rows
