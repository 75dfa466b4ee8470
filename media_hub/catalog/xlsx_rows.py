"""The rows of an xlsx workbook's first sheet, read one at a time, each cell as openpyxl
converts it (numbers, dates, shared strings).

openpyxl's read-only worksheet first looks for the sheet's `<dimension>`, and when the sheet
has none (openpyxl's own write-only mode writes none, nor does a crafted file) it parses the
whole sheet to find it: 2,000,000 rows packed in a few hundred KiB took 44 s before the first
row came. Here openpyxl reads the workbook's parts (manifest, shared strings, styles for the
dates) and its sheet parser yields rows as the XML comes, so a caller that stops after N rows
has parsed N rows. These are openpyxl 3.1's reader classes (`ExcelReader`,
`WorkSheetParser`), which its own `load_workbook` uses.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import IO, Any


def first_sheet_rows(stream: IO[bytes], columns: int) -> Iterator[list[Any]]:
    """Each row of the first worksheet, as `columns` values (None where empty); rows the file
    leaves out come as rows of None, so that the n-th row is the sheet's row n."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._reader import WorkSheetParser

    class PartsReader(ExcelReader):
        def read_worksheets(self) -> None:
            """Left to the caller, row by row."""

    reader = PartsReader(stream, read_only=True, data_only=True)
    try:
        with warnings.catch_warnings():
            # Names that belong to a sheet (the filter an export or Excel sets) find no sheet
            # here, which openpyxl warns about on stderr; the rows do not need them.
            warnings.filterwarnings("ignore", "Defined names for sheet", UserWarning)
            reader.read()
        targets = [
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
        if not targets:
            raise ValueError("no worksheet in the workbook")
        workbook: Any = reader.wb  # its date formats are private attributes
        with reader.archive.open(targets[0]) as source:
            parser = WorkSheetParser(
                source, reader.shared_strings, data_only=True, epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )  # fmt: skip
            expected = 1
            for index, cells in parser.parse():
                while expected < index:
                    yield [None] * columns
                    expected += 1
                if index < expected:
                    continue  # a row numbered again: openpyxl keeps the first
                values: list[Any] = [None] * columns
                for cell in cells:
                    if 1 <= cell["column"] <= columns:
                        values[cell["column"] - 1] = cell["value"]
                yield values
                expected += 1
    finally:
        reader.archive.close()
