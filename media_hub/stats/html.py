"""A report as one self-contained HTML page, to send to management or print (A4): right to
left in Arabic, every text escaped, the chart inline."""

from __future__ import annotations

import base64
from html import escape

from media_hub.stats import labels
from media_hub.stats.render import Table, formatted, heading, tables
from media_hub.stats.report import Report

STYLE = """
body{font-family:"Noto Sans","Noto Sans Arabic","DejaVu Sans",sans-serif;margin:2em;color:#1b1b1b}
h1{color:#0b2e6f;font-size:1.6em}h2{color:#0b2e6f;font-size:1.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0 1em}
th,td{border:1px solid #c8cfdc;padding:.3em .6em}th{background:#eef2f9;text-align:start}
td.n{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
img{max-width:100%;border:1px solid #c8cfdc}p.meta{color:#555}
@page{size:A4;margin:15mm}
@media print{body{margin:0;font-size:10pt}h1{font-size:15pt}h2{font-size:12pt;
break-after:avoid}table{width:100%;font-size:8.5pt}tr,img{break-inside:avoid}
thead{display:table-header-group}th{background:#eef2f9!important;print-color-adjust:exact}}
"""


def to_html(report: Report, chart_png: bytes | None) -> str:
    """One page, nothing fetched: inline CSS with a print stylesheet (A4), the chart as a data:
    URI, every text escaped; the page right to left in Arabic, `dir="auto"` on names and
    titles so a French name in an Arabic page (or the reverse) still runs its own way."""
    language = report.query.language
    direction = "rtl" if language in labels.RTL else "ltr"
    title = escape(heading(report)[0])
    parts = [
        f'<!DOCTYPE html>\n<html lang="{escape(language)}" dir="{direction}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n'
        f"<body>\n<h1>{title}</h1>\n"
    ]
    parts += [f'<p class="meta">{escape(line)}</p>\n' for line in heading(report)[1:]]
    if chart_png is not None:
        encoded = base64.b64encode(chart_png).decode("ascii")
        shown = escape(labels.text(language, "chart.heading"))
        parts.append(
            f'<h2>{shown}</h2>\n<img alt="{shown}" src="data:image/png;base64,{encoded}">\n'
        )
    for table in tables(report):
        parts.append(_html_table(table, language))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _html_table(table: Table, language: str) -> str:
    head = "".join(f"<th>{escape(str(column))}</th>" for column in table.columns)
    rows = []
    for row, kinds in ((row, table.kinds) for row in formatted(table, language)):
        cells = []
        for index, (kind, shown) in enumerate(zip(kinds, row, strict=True)):
            if kind == "text" and index > 0:
                cells.append(f'<td dir="auto">{escape(shown)}</td>')
            elif kind != "text":
                cells.append(f'<td class="n" dir="ltr">{escape(shown)}</td>')
            else:
                cells.append(f"<td>{escape(shown)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f"<h2>{escape(table.title)}</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n"
    )
