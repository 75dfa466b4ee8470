"""SlideShare: the REST API v2 client, its credentials and errors, and conversion polling."""
