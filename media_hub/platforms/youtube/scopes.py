"""OAuth scopes media-hub asks for, each for a reason."""

UPLOAD = "https://www.googleapis.com/auth/youtube.upload"
MANAGE = "https://www.googleapis.com/auth/youtube"  # playlists, metadata updates
FORCE_SSL = "https://www.googleapis.com/auth/youtube.force-ssl"  # captions.insert needs it
ANALYTICS = "https://www.googleapis.com/auth/yt-analytics.readonly"

ALL = (UPLOAD, MANAGE, FORCE_SSL, ANALYTICS)
