"""Jobs: see the issues that build it."""
