"""Local stand-ins of the YouTube and SlideShare APIs, for tests, the demo and training."""
