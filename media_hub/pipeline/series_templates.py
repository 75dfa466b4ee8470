"""The series and metadata template of an asset, read once per run (a sync renders thousands)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from media_hub.catalog.definitions import Definitions, TemplateDefinition, read_definitions
from media_hub.errors import ValidationError
from media_hub.hub import Hub

# A series' record (as `CatalogService.series_detail` gives it), its template and its name.
SeriesTemplate = tuple[dict[str, Any], TemplateDefinition, str]


class SeriesTemplates:
    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._definitions: Definitions | None = None
        self._series: dict[str, dict[str, Any]] = {}

    def of(self, asset: Mapping[str, Any]) -> SeriesTemplate:
        """The asset's series record, its template and the template's name."""
        if asset["series"] is None:
            raise ValidationError(
                "series", "the asset has no series, so no template", record=f"asset {asset['id']}"
            )
        return self.for_series(asset["series"])

    def for_series(self, slug: str) -> SeriesTemplate:
        """The series' record, its template and the template's name."""
        series = self._series.get(slug)
        if series is None:
            series = self._series[slug] = self._hub.catalog.series_detail(slug)
        if self._definitions is None:
            self._definitions = read_definitions(self._hub.settings.definitions_dir)
        name: str = series["template"]
        return series, self._definitions.templates[name], name
