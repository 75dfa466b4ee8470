"""Storage: see the issues that build it."""
