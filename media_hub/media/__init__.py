"""Media: see the issues that build it."""
