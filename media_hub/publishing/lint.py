"""`catalog lint` with every installed platform's own checks of the rendered metadata."""

from __future__ import annotations

from media_hub.catalog import lint
from media_hub.catalog.definitions import read_definitions
from media_hub.catalog.librarian import LibrarianService
from media_hub.catalog.placeholders import placeholder_warnings
from media_hub.catalog.query import AssetQuery
from media_hub.hub import Hub, starter_conventions
from media_hub.platforms import registry


def lint_assets(hub: Hub, query: AssetQuery) -> tuple[int, list[lint.LintProblem]]:
    """How many assets the query found, and their problems, platform checks included."""
    rules = lint.with_platform_rules([platform.lint for platform in registry.every()])
    librarian = LibrarianService(hub.db)
    return librarian.lint(query, hub.settings.definitions_dir, rules, hub.settings)


def convention_warnings(hub: Hub) -> list[str]:
    """What is not wrong for any one asset but will show on the channel (the placeholders)."""
    folder = hub.settings.definitions_dir
    return placeholder_warnings(read_definitions(folder), folder, starter_conventions())
