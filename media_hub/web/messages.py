"""Translations of the interface's messages, keyed by their English text."""

from __future__ import annotations

FR: dict[str, str] = {}
AR: dict[str, str] = {}

CATALOGS: dict[str, dict[str, str]] = {"fr": FR, "ar": AR}
