"""Importing the published files: totals equal summing the CSV directly, every bad row is
reported by line and nothing is written, and importing again changes nothing."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from alianza.audit.models import AuditEvent
from alianza.series.bundled import BUNDLED, DATA_DIR
from alianza.series.formats import FORMATS, NOT_AVAILABLE
from alianza.series.models import AggregateSeries, SeriesObservation
from alianza.series.services import series_import

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SHARED_FILES = sorted(SHARED.glob("cbp/*.csv")) + sorted(SHARED.glob("usbp/*.csv"))
needs_shared = pytest.mark.skipif(
    not SHARED_FILES, reason=f"published data not found in {SHARED} (workspace ../shared/data)"
)

CBP_HEADER = (
    "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,"
    "Count of Event,Sum Qty (lbs)\n"
)
CBP_GOOD = (
    "2026 (FYTD),DEC,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,"
    "Marijuana,3,120.5\n"
    "2026 (FYTD),DEC,Office of Field Operations,Southwest Border,Land Only,TUCSON FIELD OFFICE,"
    "Marijuana,2,10\n"
    "2025,OCT,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Fentanyl,1,0.25\n"
)


def _csv_sums(path: Path) -> tuple[dict[str, float], dict[str, int]]:
    """Each measure column summed straight from the file with the csv module."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    fmt = next(f for f in FORMATS.values() if set(f.columns) == set(rows[0]))
    sums, cells = {}, {}
    for measure in fmt.measures:
        values = [
            float(r[measure.column]) for r in rows if r[measure.column].strip() not in NOT_AVAILABLE
        ]
        sums[measure.column] = math.fsum(values)
        cells[measure.column] = len(values)
    return sums, cells


def _imported(source_file: str) -> dict[str, tuple[float, int]]:
    result = {}
    for series in AggregateSeries.objects.filter(source_file=source_file):
        observations = SeriesObservation.objects.filter(series=series)
        result[series.measure] = (
            observations.aggregate(total=Sum("value"))["total"] or 0.0,
            observations.count(),
        )
    return result


@needs_shared
@pytest.mark.django_db
@pytest.mark.parametrize("path", SHARED_FILES, ids=[p.name for p in SHARED_FILES])
def test_published_file_totals_equal_summing_the_csv_directly(path):
    result = series_import(actor=None, data=path.read_bytes(), source_file=path.name)
    assert result.errors == []
    sums, cells = _csv_sums(path)
    imported = _imported(path.name)
    assert set(imported) == set(sums)
    for measure, expected in sums.items():
        total, count = imported[measure]
        assert count == cells[measure], measure
        assert math.isclose(total, expected, rel_tol=1e-9, abs_tol=1e-6), (measure, total)


@needs_shared
@pytest.mark.django_db
def test_cbp_tucson_sector_and_field_office_stay_apart():
    path = SHARED / "cbp" / "nationwide-drugs-fy23-fy26-dec.csv"
    series_import(actor=None, data=path.read_bytes(), source_file=path.name)
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = math.fsum(
        float(r["Sum Qty (lbs)"]) for r in rows if r["Area of Responsibility"] == "TUCSON SECTOR"
    )
    pounds = SeriesObservation.objects.filter(
        series__source_file=path.name, series__measure="Sum Qty (lbs)", area_key="tucson"
    )
    sector = pounds.filter(level="sector").aggregate(t=Sum("value"))["t"]
    assert math.isclose(sector, expected, rel_tol=1e-9)
    assert pounds.filter(level="field_office").exists()
    # FY2026's October to December are calendar 2025.
    dec = pounds.filter(fiscal_year=2026, period_start__month=12).first()
    assert dec.period_start.year == 2025 and dec.period_end.day == 31


@pytest.mark.django_db
def test_bundled_copies_import_and_match_their_source_rows():
    for item in BUNDLED:
        data = (DATA_DIR / item.name).read_bytes()
        result = series_import(actor=None, data=data, source_file=item.name, kind=item.kind)
        assert result.errors == [], item.name
        sums, _cells = _csv_sums(DATA_DIR / item.name)
        for measure, (total, _count) in _imported(item.name).items():
            assert math.isclose(total, sums[measure], rel_tol=1e-9, abs_tol=1e-6)


@needs_shared
def test_bundled_copies_are_what_the_script_derives_from_shared_data(tmp_path):
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "scripts" / "derive_series.py"
    spec = importlib.util.spec_from_file_location("derive_series", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--output-dir", str(tmp_path)]) == 0
    for item in BUNDLED:
        assert (tmp_path / item.name).read_bytes() == (DATA_DIR / item.name).read_bytes()
    assert "CBP" in (DATA_DIR / "SOURCE.md").read_text()


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written():
    bad = (
        CBP_HEADER
        + CBP_GOOD  # lines 2-4
        + "2026,XYZ,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Heroin,1,1\n"
        + "2026,JAN,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Heroin,one,1\n"
        + "2026,JAN,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Cocaine,1,-4\n"
        + "2026,JAN,U.S. Border Patrol\n"
        + "2026 (FYTD),DEC,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,"
        "Marijuana,9,9\n"
        + "FY26,JAN,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Lsd,1,1\n"
        + "2026,JAN,Air and Marine,Southwest Border,Land Only,TUCSON SECTOR,Lsd,1,1\n"
    )
    result = series_import(actor=None, data=bad.encode(), source_file="bad.csv")
    lines = [e.line for e in result.errors]
    assert lines == [5, 6, 7, 8, 9, 10, 11]
    reasons = {e.line: e.reason for e in result.errors}
    assert "unknown month" in reasons[5]
    assert "'one'" in reasons[6]
    assert "'-4'" in reasons[7]
    assert "3 columns, expected 9" in reasons[8]
    assert "line 2" in reasons[9]  # the same cell twice
    assert "FY26" in reasons[10]
    assert "Air and Marine" in reasons[11]
    assert str(result.errors[0]).startswith("line 5: ")
    assert not result.written
    assert AggregateSeries.objects.count() == 0 and SeriesObservation.objects.count() == 0
    audit = (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="series.import")
        .order_by("-seq")
        .first()
    )
    assert audit.outcome == "failure" and audit.details["bad_rows"] == 7


@pytest.mark.django_db
def test_a_bad_row_in_a_reimport_leaves_the_earlier_import_intact():
    series_import(actor=None, data=(CBP_HEADER + CBP_GOOD).encode(), source_file="t.csv")
    before = SeriesObservation.objects.count()
    broken = CBP_HEADER + CBP_GOOD.replace("120.5", "lots")
    result = series_import(actor=None, data=broken.encode(), source_file="t.csv")
    assert [e.line for e in result.errors] == [2]
    assert SeriesObservation.objects.count() == before == 6


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing():
    data = (CBP_HEADER + CBP_GOOD).encode()
    first = series_import(actor=None, data=data, source_file="cbp.csv")
    ids = sorted(s.pk for s in first.series)
    totals = _imported("cbp.csv")
    second = series_import(actor=None, data=data, source_file="cbp.csv")
    assert sorted(s.pk for s in second.series) == ids
    assert second.replaced == second.observations == first.observations == 6
    assert (
        _imported("cbp.csv")
        == totals
        == {
            "Count of Event": (6.0, 3),
            "Sum Qty (lbs)": (130.75, 3),
        }
    )
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="series.import", outcome="success")
        .count()
        == 2
    )


@pytest.mark.django_db
def test_a_new_edition_of_a_file_replaces_its_observations():
    series_import(actor=None, data=(CBP_HEADER + CBP_GOOD).encode(), source_file="cbp.csv")
    shorter = CBP_HEADER + CBP_GOOD.splitlines(keepends=True)[0]
    series_import(actor=None, data=shorter.encode(), source_file="cbp.csv")
    assert _imported("cbp.csv") == {"Count of Event": (3.0, 1), "Sum Qty (lbs)": (120.5, 1)}


@pytest.mark.django_db
def test_usbp_not_available_cells_are_left_out_and_yearly_totals_are_fiscal_years():
    text = (
        "sector,fiscal_year,month,total_apprehensions,unaccompanied_child_apprehension,"
        "family_apprehensions\n"
        "tucson,2019,october,5000,NA,NA\n"
        "tucson,2019,yearly total,63490,NA,NA\n"
        "southwest border,2019,october,40000,3000,NA\n"
    )
    result = series_import(actor=None, data=text.encode(), source_file="m.csv")
    assert result.kind == "usbp-apprehensions" and result.errors == []
    assert result.not_available == 5 and result.observations == 4
    yearly = SeriesObservation.objects.get(granularity="fiscal_year")
    assert (yearly.period_start.isoformat(), yearly.period_end.isoformat()) == (
        "2018-10-01",
        "2019-09-30",
    )
    levels = dict(SeriesObservation.objects.values_list("area", "level").distinct())
    assert levels == {"tucson": "sector", "southwest border": "region"}


@pytest.mark.django_db
def test_unknown_formats_and_encodings_are_refused_on_line_one():
    assert "not a known published format" in str(
        series_import(actor=None, data=b"a,b\n1,2\n", source_file="x.csv").errors[0]
    )
    wrong_kind = series_import(
        actor=None, data=(CBP_HEADER + CBP_GOOD).encode(), source_file="x.csv", kind="usbp-staffing"
    )
    assert wrong_kind.errors[0].line == 1 and "missing columns" in wrong_kind.errors[0].reason
    latin = series_import(
        actor=None, data=CBP_HEADER.encode() + b"2026,DEC,\xe9\n", source_file="x"
    )
    assert latin.errors[0].line == 2 and "UTF-8" in latin.errors[0].reason


@needs_shared
@pytest.mark.django_db
def test_series_import_command_autodetects_every_file_in_a_folder(capsys):
    call_command("series-import", str(SHARED / "usbp"))
    out = capsys.readouterr().out
    assert "(usbp-apprehensions)" in out and "(usbp-staffing)" in out
    assert AggregateSeries.objects.filter(kind="usbp-region-stats").count() == 19


@pytest.mark.django_db
def test_series_import_command_fails_on_bad_rows(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(CBP_HEADER + "2026,XYZ,U.S. Border Patrol,R,L,TUCSON SECTOR,Heroin,1,1\n")
    with pytest.raises(CommandError):
        call_command("series-import", str(path), "--kind", "cbp-drugs")
    assert "line 2" in capsys.readouterr().err
    assert AggregateSeries.objects.count() == 0
