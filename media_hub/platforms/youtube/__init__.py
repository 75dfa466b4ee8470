"""Publishing to YouTube with the real google-api-python-client (or against the sandbox)."""
