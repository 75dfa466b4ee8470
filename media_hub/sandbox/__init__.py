"""Sandbox: see the issues that build it."""
