"""The one way Alianza writes CSV: every cell is safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets (`=HYPERLINK("http://evil", "x")`, DDE payloads). As
the OWASP "CSV Injection" guidance recommends, such a text cell is prefixed with a single quote
(`'=HYPERLINK(...)`) so it is shown as text, and every cell is wrapped in double quotes (with
embedded quotes doubled, as the csv module does), so a `;` or `,` inside a cell cannot start a
new cell in a spreadsheet set to another list separator and put a formula at its start.

Numbers stay numbers: only text cells are neutralised. An int, float, Decimal, bool or None is
written as the csv module writes it, and so is a text cell that is nothing but a plain number
(`-12.5`, `+3`, `-1e-05`, as the simulator formats its results): a spreadsheet reads it as that
number, which no formula can hide in. `-1+1`, `-A1` or `+cmd|...` are not plain numbers and are
neutralised.

Pure standard library (no Django), so the pure libraries (`alianza.sim`) use it too. The meta-test
`tests/security/test_csv_injection.py` fails when a module under src/ calls `csv.writer` or
`csv.DictWriter` itself.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

# OWASP's list: equals, plus, minus, at, tab (0x09), carriage return (0x0D); and NUL.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def safe_cell(value: Any) -> Any:
    """`value` as it may be written to a CSV cell: numbers and None unchanged; anything else as
    text, which gets a leading `'` when a spreadsheet would read it as a formula (also after
    leading spaces, or written with full-width signs, which spreadsheets fold)."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    first = unicodedata.normalize("NFKC", text.lstrip(" "))[:1]
    if (first in FORMULA_STARTS or text.startswith(FORMULA_STARTS)) and not (
        _PLAIN_NUMBER.fullmatch(text)
    ):
        return "'" + text
    return text


class SafeWriter:
    """A `csv.writer` whose rows go through `safe_cell`, every cell quoted."""

    def __init__(self, fileobj, **fmtparams):
        fmtparams.setdefault("quoting", csv.QUOTE_ALL)
        self._writer = csv.writer(fileobj, **fmtparams)

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(fileobj, **fmtparams) -> SafeWriter:
    """Use instead of `csv.writer(fileobj, ...)`."""
    return SafeWriter(fileobj, **fmtparams)


class SafeDictWriter(csv.DictWriter):
    """Use instead of `csv.DictWriter(fileobj, fieldnames, ...)`; the header row is written
    through `safe_cell` too."""

    def __init__(self, fileobj, fieldnames: Sequence[str], *args, **kwargs):
        kwargs.setdefault("quoting", csv.QUOTE_ALL)
        super().__init__(fileobj, fieldnames, *args, **kwargs)
        self.writer = SafeWriter(fileobj, dialect=self.writer.dialect)


def dict_writer(fileobj, fieldnames: Sequence[str], *args, **kwargs) -> SafeDictWriter:
    return SafeDictWriter(fileobj, fieldnames, *args, **kwargs)
