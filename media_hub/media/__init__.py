"""Reading media: probing, transcoding profiles, thumbnails and slide decks."""
