"""Publishing: see the issues that build it."""
