"""Stats: see the issues that build it."""
