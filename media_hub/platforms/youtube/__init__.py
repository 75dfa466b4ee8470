"""Publishing to YouTube with the real google-api-python-client (or against the sandbox)."""

YOUTUBE = "youtube"  # the platform's name in series.toml, settings and catalog rows
UPLOAD_PROFILE = "youtube"  # the built-in transcoding profile of YouTube's recommended settings
