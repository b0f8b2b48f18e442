"""The Admiralty -> Europol 4x4 mapping: code and documentation (docs/intel.md) agree cell by
cell, and invalid grades are refused naming their axis. Pure Python, no database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alianza.intel.grading import CREDIBILITY_CODES, RELIABILITY_CODES, europol_grade

DOC = Path(__file__).resolve().parents[2] / "docs" / "intel.md"
_HEADER = re.compile(r"^\|\s*reliability\s*\\\s*credibility\s*\|")
_ROW_LABEL = re.compile(r"^\*\*([A-Z])\*\*")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def documented_table(text: str) -> dict[tuple[str, str], str]:
    """(reliability, credibility) -> Europol code, read from the one mapping table."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    assert len(starts) == 1, "docs/intel.md must hold exactly one Admiralty -> Europol table"
    start = starts[0]
    columns = _cells(lines[start])[1:]
    assert re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[start + 1].strip()), "separator row"
    table = {}
    for line in lines[start + 2 :]:
        if not line.strip().startswith("|"):
            break
        label, *values = _cells(line)
        match = _ROW_LABEL.match(label)
        assert match, f"row label must start with the bold reliability code: {label!r}"
        assert len(values) == len(columns), f"row {label!r} has {len(values)} cells"
        for credibility, value in zip(columns, values, strict=True):
            assert (match.group(1), credibility) not in table, "duplicate cell"
            table[match.group(1), credibility] = value
    return table


def test_the_documented_table_has_every_admiralty_grade_once():
    table = documented_table(DOC.read_text(encoding="utf-8"))
    assert set(table) == {(r, c) for r in RELIABILITY_CODES for c in CREDIBILITY_CODES}


@pytest.mark.parametrize("reliability", RELIABILITY_CODES)
@pytest.mark.parametrize("credibility", CREDIBILITY_CODES)
def test_the_documented_table_agrees_with_europol_grade(reliability, credibility):
    table = documented_table(DOC.read_text(encoding="utf-8"))
    assert table[reliability, credibility] == europol_grade(reliability, credibility).code


def test_the_table_parser_notices_a_wrong_cell():
    # The check above can fail: one changed cell in a copy of the doc is caught.
    text = DOC.read_text(encoding="utf-8")
    wrong = re.sub(r"^(\| \*\*D\*\*[^|]*\| )C1 ", r"\1B1 ", text, count=1, flags=re.M)
    assert wrong != text
    assert documented_table(wrong)["D", "1"] != europol_grade("D", "1").code


def test_every_europol_code_is_in_europols_4x4_scheme_and_never_higher():
    order_source, order_info = "ABCX", "1234"
    for r in RELIABILITY_CODES:
        for c in CREDIBILITY_CODES:
            grade = europol_grade(r, c)
            assert grade.source in order_source and grade.information in order_info
            # Never raised: a worse Admiralty grade never maps to a better Europol one.
            if r != "F":
                assert order_source.index(grade.source) >= min(
                    "ABCDEF".index(r), order_source.index("C")
                )
            assert order_info.index(grade.information) >= min(int(c) - 1, 3)


def test_lower_case_and_padded_input_is_accepted():
    assert europol_grade(" b ", " 2 ").code == "B2"
    assert str(europol_grade("f", 6)) == "X4"


@pytest.mark.parametrize("reliability", ["G", "", "AA", "1", "X", None])
def test_an_invalid_reliability_is_refused_naming_the_source_axis(reliability):
    with pytest.raises(ValueError, match="source reliability must be one of A-F"):
        europol_grade(reliability, "1")


@pytest.mark.parametrize("credibility", ["0", "7", "", "A", "12", None])
def test_an_invalid_credibility_is_refused_naming_the_information_axis(credibility):
    with pytest.raises(ValueError, match="information credibility must be one of 1-6"):
        europol_grade("A", credibility)


def test_the_source_axis_is_checked_first_when_both_are_invalid():
    with pytest.raises(ValueError, match="source reliability"):
        europol_grade("Z", "9")
