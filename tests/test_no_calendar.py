"""No calendar in the code: nothing under src/ names a calendar date, so the demo and the product
behave the same on any day of any year. Dates come from "now" or from data files.

Checked on the source text (not by importing it): a call `date(2026, 11, 28)` /
`datetime(2026, ...)` with a literal year, and any string that reads as an ISO date
(`"2026-11-01"`, `"2026-06-01T10:00:00Z"`), in Python files, templates and scripts. Migrations
(frozen history) and data folders are not code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import alianza

PACKAGE_DIR = Path(alianza.__file__).resolve().parent
SKIPPED_DIRS = {"migrations", "data", "vendor", "__pycache__", "locale"}
ISO_DATE = re.compile(r"(?<!\d)(1[89]|2[0-9])\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)")
DATE_CALLS = {"date", "datetime"}


def _sources(*suffixes: str):
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix not in suffixes or not path.is_file():
            continue
        if any(part in SKIPPED_DIRS for part in path.relative_to(PACKAGE_DIR).parts[:-1]):
            continue
        yield path


def literal_dates_in_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of every literal calendar date in a Python module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if (
                name in DATE_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, int)
                and 1800 <= node.args[0].value <= 2999
            ):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if ISO_DATE.search(node.value):
                found.append((node.lineno, node.value[:80]))
    return found


def test_the_checker_finds_each_kind_of_literal_date():
    source = (
        "import datetime as dt\n"
        "END = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)\n"
        "today = date(2026, 11, 28)\n"
        "MSG = 'e.g. 2026-06-01T10:00:00Z'\n"
        "fine = dt.timedelta(days=2026)\n"
        "also_fine = 'FY2019 table, 10-31 window, id 12026-11-011'\n"
    )
    assert [line for line, _ in literal_dates_in_python(source)] == [2, 3, 4]


def test_no_literal_date_in_python_under_src():
    hits = [
        f"{path.relative_to(PACKAGE_DIR)}:{line}: {text}"
        for path in _sources(".py")
        for line, text in literal_dates_in_python(path.read_text(encoding="utf-8"))
    ]
    assert not hits, "literal dates in src/ (derive them from now):\n" + "\n".join(hits)


def test_no_literal_date_in_templates_or_scripts_under_src():
    hits = [
        f"{path.relative_to(PACKAGE_DIR)}:{number}: {line.strip()[:80]}"
        for path in _sources(".html", ".txt", ".js")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ISO_DATE.search(line)
    ]
    assert not hits, "literal dates in src/ (derive them from now):\n" + "\n".join(hits)
