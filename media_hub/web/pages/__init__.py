"""One module per part of the app; each lists its routes."""
