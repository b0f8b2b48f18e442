"""CSV formula injection (issue 13, finding 8): a text cell a spreadsheet would run as a formula
is written as text, in every CSV the product writes, and every CSV writer goes through
`alianza.csvsafe` (checked on the source text, like tests/test_no_calendar.py)."""

from __future__ import annotations

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

import alianza
from alianza import csvsafe

PACKAGE_DIR = Path(alianza.__file__).resolve().parent
HELPER = PACKAGE_DIR / "csvsafe.py"
WRITERS = {"writer", "DictWriter"}


def _read(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data)))


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+cmd|' /C calc'!A0",
        "-1+1",
        "-A1",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "=",
    ],
)
def test_a_text_cell_starting_like_a_formula_is_prefixed_with_a_quote(text):
    assert csvsafe.safe_cell(text) == "'" + text
    out = io.StringIO()
    csvsafe.writer(out).writerow(["title", text])
    assert _read(out.getvalue()) == [["title", "'" + text]]


@pytest.mark.parametrize(
    "value",
    [
        -12.5,
        -3,
        Decimal("-0.25"),
        None,
        True,
        "-12.5",
        "+3",
        "-1e-05",
        ".5",
        "plain text",
        "",
        "a=b",
        "x-1",
        "'quoted",
    ],
)
def test_numbers_and_plain_text_are_written_unchanged(value):
    assert csvsafe.safe_cell(value) is value


def test_every_cell_is_quoted_so_a_separator_inside_cannot_start_a_formula_cell():
    """A spreadsheet set to `;` as list separator must not split `a;=1+1` into two cells."""
    out = io.StringIO()
    csvsafe.writer(out).writerow(["a;=1+1", 'say "hi"', 7])
    assert out.getvalue() == '"a;=1+1","say ""hi""","7"\r\n'


def test_the_dict_writer_neutralises_header_and_cells():
    out = io.StringIO()
    writer = csvsafe.dict_writer(out, fieldnames=["=name", "value"])
    writer.writeheader()
    writer.writerow({"=name": "@evil", "value": "-0.5"})
    assert _read(out.getvalue()) == [["'=name", "value"], ["'@evil", "-0.5"]]


def test_an_export_of_a_report_titled_with_a_formula_writes_it_as_text(world):
    from alianza.exports.services import export_create
    from alianza.intel.models import Report

    from world import make_report

    title = '=HYPERLINK("http://evil.example","x")'
    report = make_report(agency=world.us, title=title)
    Report.objects.unrestricted(reason="test").filter(pk=report.pk).update(
        body="@SUM(1+1)*cmd|' /C calc'!A0"
    )
    report = Report.objects.visible_to(world.user("us_analyst")).get(pk=report.pk)
    _, data = export_create(
        actor=world.user("us_analyst"),
        recipient="=cmd|' /C calc'!A0",
        recipient_agency=world.us,
        reports=[report],
        fmt="csv",
    )
    rows = _read(data.decode())
    assert rows[0][3] == "'=cmd|' /C calc'!A0"
    row = dict(zip(rows[1], rows[2], strict=True))
    assert row["title"] == "'" + title
    assert row["body"].startswith("'@SUM(1+1)")
    assert not any(cell.startswith(csvsafe.FORMULA_STARTS) for r in rows for cell in r)


def test_the_simulator_csv_keeps_its_numbers_and_neutralises_text(tmp_path):
    from alianza.sim import experiment

    path = tmp_path / "out.csv"
    experiment._write_csv(path, [{"strategy": "=evil()", "seed": 3, "rate": -0.5}])
    with path.open(newline="") as fh:
        assert list(csv.DictReader(fh)) == [{"strategy": "'=evil()", "seed": "3", "rate": "-0.5"}]


def csv_writers_in_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of each use of the csv module's writers: `csv.writer`, `csv.DictWriter`
    (called or not, under any alias of the module) and `from csv import writer/DictWriter`."""
    tree = ast.parse(source)
    aliases = {"csv"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {a.asname or a.name for a in node.names if a.name == "csv"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            if any(a.name in WRITERS or a.name == "*" for a in node.names):
                found.append((node.lineno, ast.unparse(node)))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in WRITERS
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def test_the_checker_finds_each_way_of_reaching_a_csv_writer():
    source = (
        "import csv\n"
        "import csv as c\n"
        "from csv import DictWriter\n"
        "w = csv.writer(fh)\n"
        "d = c.DictWriter(fh, ['a'])\n"
        "make = csv.writer\n"
        "r = csv.reader(fh)\n"
        "fine = csvsafe.writer(fh)\n"
    )
    assert [line for line, _ in csv_writers_in_python(source)] == [3, 4, 5, 6]


def test_every_csv_writer_under_src_goes_through_csvsafe():
    hits = [
        f"{path.relative_to(PACKAGE_DIR)}:{line}: {text}"
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if path != HELPER and "migrations" not in path.parts
        for line, text in csv_writers_in_python(path.read_text(encoding="utf-8"))
    ]
    assert not hits, "write CSV with alianza.csvsafe.writer / dict_writer:\n" + "\n".join(hits)


def test_formulas_hidden_behind_spaces_full_width_signs_or_objects_are_neutralised():
    from alianza.csvsafe import safe_cell

    class Titled:
        def __str__(self):
            return '=HYPERLINK("http://evil.example","x")'

    assert safe_cell(Titled()) == '\'=HYPERLINK("http://evil.example","x")'
    assert safe_cell("  =1+1") == "'  =1+1"
    assert safe_cell("＝1+1") == "'＝1+1"  # noqa: RUF001 - the full-width sign is the point
    assert safe_cell("\0=1") == "'\0=1"
    assert safe_cell(-12.5) == -12.5 and safe_cell("-12.5") == "-12.5"
