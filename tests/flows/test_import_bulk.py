"""The bulk importer: bad coordinates are row errors, and it stores exactly what the row-by-row
path (one flow_event_create per row) stores, audit entries included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from alianza.access.services import marking_default
from alianza.audit.models import AuditEvent
from alianza.audit.verify import verify_chain
from alianza.flows.importing import events_import, events_validate
from alianza.flows.models import CurrencyItem, DrugItem, ExchangeRate, FlowEvent
from alianza.flows.services import EventImport, flow_events_import_create

HEADER = "external_id,kind,direction,occurred_at,lon,lat,drug_category,drug_quantity,drug_unit\n"
GOOD = (
    "E1,apprehension,northbound,2026-05-01T02:00:00Z,-110.95,31.34,,,\n"
    "E2,seizure,northbound,2026-05-02T03:00:00-07:00,-110.96,31.335,marijuana,100,lb\n"
    "E3,got-away,unknown,2026-05-03T04:00:00+00:00,-111.54,31.49,,,\n"
)


def _events(agency):
    return FlowEvent.objects.unrestricted(reason="test").filter(agency=agency, external_id__gt="")


def _import(world, text, *, agency=None, **options):
    agency = agency or world.us
    return events_import(
        text.encode(), agency=agency, marking=marking_default(originating_agency=agency), **options
    )


@pytest.mark.parametrize(
    ("lon", "lat", "reason"),
    [
        ("-110.95", "95", "lat 95 is out of range (-90 to 90)"),
        ("-110.95", "-90.5", "lat -90.5 is out of range (-90 to 90)"),
        ("181", "31.34", "lon 181 is out of range (-180 to 180)"),
        ("nan", "31.34", "lon 'nan' is not a finite number"),
        ("-110.95", "NaN", "lat 'NaN' is not a finite number"),
        ("-inf", "31.34", "lon '-inf' is not a finite number"),
        ("-110.95", "1e400", "lat '1e400' is not a finite number"),
    ],
)
def test_non_finite_or_out_of_range_coordinates_are_row_errors_not_crashes(world, lon, lat, reason):
    row = f"E9,apprehension,northbound,2026-05-01T02:00:00Z,{lon},{lat},,,\n"
    result = _import(world, HEADER + GOOD + row)
    assert [(e.line, e.reason) for e in result.errors] == [(5, reason)]
    assert result.created == 0 and not result.written
    assert not _events(world.us).exists()
    good_rows = _import(world, HEADER + GOOD + row, mode="good-rows")
    assert good_rows.created == 3 and [e.line for e in good_rows.errors] == [5]


def test_a_bad_coordinate_names_the_mapped_source_column(world):
    text = "ID,Tipo,Fecha,X,Y\nM1,turn_back,2026-05-01T02:00:00Z,-110.95,95\n"
    mapping = {"external_id": "ID", "kind": "Tipo", "occurred_at": "Fecha", "lon": "X", "lat": "Y"}
    _good, errors = events_validate(text.encode(), mapping=mapping)
    assert [(e.line, e.reason) for e in errors] == [(2, "Y 95 is out of range (-90 to 90)")]


def test_the_command_reports_a_nan_longitude_by_line(world, tmp_path, capsys):
    source = tmp_path / "events.csv"
    source.write_text(HEADER + GOOD + "E9,apprehension,,2026-05-01T02:00:00Z,nan,31.3,,,\n")
    with pytest.raises(CommandError, match="1 bad rows"):
        call_command("import-events", str(source), "--agency", "USBP")
    assert "line 5: lon 'nan' is not a finite number" in capsys.readouterr().err
    assert not _events(world.us).exists()


# Rows whose problems only the service finds (after validation): an event in the future and
# MXN cash before the first exchange rate; plus items of every kind the importer reads.
MIXED_HEADER = (
    "external_id,kind,direction,occurred_at,lon,lat,case_reference,narrative,"
    "drug_category,drug_quantity,drug_unit,currency_amount,currency\n"
)
MIXED = (
    "B1,seizure,northbound,2026-05-02T03:00:00-07:00,-110.96,31.335,NOG-1,Wash,marijuana,100,lb,,\n"
    "B2,seizure,northbound,2026-05-02T04:00:00Z,-110.94,31.30,,,fentanyl,3000,pills,,\n"
    "B3,seizure,southbound,2026-06-10T05:00:00Z,-110.93,31.33,NOG-3,Cash,,,,2500.50,MXN\n"
    "B4,seizure,southbound,2026-06-11T05:00:00Z,-110.92,31.32,,,,,,990,USD\n"
    "B5,apprehension,,2026-05-03T04:00:00Z,-111.54,31.49,,Grupo de 4,,,,,\n"
    "B6,sighting,unknown,2026-05-04T04:00:00Z,-110.91,31.40,,,heroin,600.5,g,,\n"
)
IN_FIVE_YEARS = (dt.datetime.now(dt.UTC) + dt.timedelta(days=5 * 365)).strftime(
    "%Y-%m-%dT00:00:00Z"
)
LATE_BAD = (
    f"B7,apprehension,northbound,{IN_FIVE_YEARS},-110.95,31.34,,,,,,,\n"
    "B8,seizure,southbound,2026-01-01T05:00:00Z,-110.93,31.33,,,,,,100,MXN\n"
)


def _stored(agency):
    """Everything stored for the agency's imported events, without ids, agency and times."""
    events = _events(agency).order_by("external_id")
    fields = (
        "external_id", "kind", "direction", "occurred_at", "lon", "lat", "segment__segment_id",
        "km_marker", "side", "distance_m", "case_reference", "narrative", "crossing",
    )  # fmt: skip
    drugs = DrugItem.objects.unrestricted(reason="test").filter(event__agency=agency)
    cash = CurrencyItem.objects.unrestricted(reason="test").filter(event__agency=agency)
    audit = AuditEvent.objects.unrestricted(reason="test").filter(
        action__startswith="flowevent.", object_agency_code=agency.code
    )
    ids = dict(events.values_list("pk", "external_id"))
    return {
        "events": list(events.values_list(*fields)),
        "drugs": sorted(
            drugs.values_list(
                "event__external_id", "category", "quantity", "unit", "weight_kg", "pills"
            )
        ),  # fmt: skip
        "cash": sorted(
            cash.values_list("event__external_id", "amount", "currency", "usd_amount", "rate_date")
        ),
        "audit": [
            (
                a.action,
                a.actor_username,
                a.object_type,
                ids.get(int(a.object_id or 0), ""),
                {k: v for k, v in a.details.items() if k != "format"},
            )
            for a in audit.order_by("seq")
            if a.action == "flowevent.import" or int(a.object_id or 0) in ids
        ],  # fmt: skip
    }


def _rates():
    ExchangeRate.objects.create(date=dt.date(2026, 6, 1), currency="MXN", usd_per_unit="0.05")
    ExchangeRate.objects.create(date=dt.date(2026, 6, 11), currency="MXN", usd_per_unit="0.09")


@pytest.mark.parametrize("mode", ["good-rows", "all-or-nothing"])
def test_bulk_and_row_by_row_imports_store_the_same_rows_and_audit_entries(world, mode):
    _rates()
    text = MIXED_HEADER + MIXED + (LATE_BAD if mode == "good-rows" else "")
    per_row = _import(world, text, agency=world.mx, mode=mode, bulk=False)
    bulk = _import(world, text, agency=world.us, mode=mode)
    assert (bulk.created, bulk.unchanged, bulk.written) == (
        per_row.created,
        per_row.unchanged,
        per_row.written,
    )
    assert bulk.created == 6
    assert [str(e) for e in bulk.errors] == [str(e) for e in per_row.errors]
    if mode == "good-rows":
        assert [e.line for e in bulk.errors] == [8, 9]
        assert "future" in bulk.errors[0].reason and "exchange rate" in bulk.errors[1].reason
    us, mx = _stored(world.us), _stored(world.mx)
    assert us == mx
    assert len(us["events"]) == 6 and len(us["drugs"]) == 3 and len(us["cash"]) == 2
    assert [a[0] for a in us["audit"]] == ["flowevent.create"] * 6 + ["flowevent.import"]
    # 2026-06-10 takes the rate of 06-01 (0.05): 2500.50 * 0.05 = 125.025, rounded half up.
    assert tuple(str(v) for v in us["cash"][0][:4]) == ("B3", "2500.50", "MXN", "125.03")
    assert verify_chain().ok


def test_late_errors_in_all_or_nothing_mode_are_all_reported_and_nothing_is_written(world):
    _rates()
    audit_before = AuditEvent.objects.unrestricted(reason="test").count()
    result = _import(world, MIXED_HEADER + MIXED + LATE_BAD)
    assert [e.line for e in result.errors] == [8, 9]  # both, not just the first
    assert result.created == 0 and not result.written
    assert not _events(world.us).exists()
    assert AuditEvent.objects.unrestricted(reason="test").count() == audit_before
    again = _import(world, MIXED_HEADER + MIXED + LATE_BAD, mode="good-rows")
    assert again.created == 6
    assert _import(world, MIXED_HEADER + MIXED, mode="good-rows").unchanged == 6


def test_chunks_of_the_bulk_service_each_get_their_audit_entries(world):
    _rates()
    good, errors = events_validate((MIXED_HEADER + MIXED).encode())
    assert errors == []
    marking = marking_default(originating_agency=world.us)
    created, late = flow_events_import_create(
        agency=world.us,
        marking=marking,
        rows=[EventImport(row.line, row.values, row.location) for row in good],
        chunk_size=4,
    )
    assert (created, late) == (6, [])
    audit = AuditEvent.objects.unrestricted(reason="test").filter(action="flowevent.create")
    pks = {str(pk) for pk in _events(world.us).values_list("pk", flat=True)}
    assert {a.object_id for a in audit.filter(object_agency_code="USBP")} >= pks
    assert verify_chain().ok


def test_the_bulk_service_locates_rows_given_without_a_location(world):
    good, _ = events_validate((HEADER + GOOD).encode())
    marking = marking_default(originating_agency=world.us)
    created, late = flow_events_import_create(
        agency=world.us,
        marking=marking,
        rows=[EventImport(row.line, row.values) for row in good]
        + [EventImport(99, {**good[0].values, "external_id": "FAR", "lat": 33.5})],
        all_or_nothing=False,
    )
    assert created == 3 and late[0][0] == 99 and "km from the" in late[0][1]
    stored = _events(world.us).get(external_id="E1")
    assert stored.segment_id and stored.side == "US"


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("cocaine,1e30,kg", "number '1e30' in drug_quantity is too large"),
        ("cocaine,12345678901,kg", "is too large"),
        ("cocaine,sNaN,kg", "bad number"),
        ("cocaine,1.23456,kg", "no more than 4 decimal places"),  # found by the model's checks
    ],
)
def test_numbers_the_tables_cannot_hold_are_row_errors(world, cells, reason):
    row = f"E9,seizure,northbound,2026-05-01T02:00:00Z,-110.95,31.34,{cells}\n"
    result = _import(world, HEADER + GOOD + row, mode="good-rows")
    assert [e.line for e in result.errors] == [5] and reason in result.errors[0].reason
    assert result.created == 3


def test_a_field_over_the_csv_size_limit_is_a_row_error(world):
    row = (
        'E9,apprehension,northbound,2026-05-01T02:00:00Z,-110.95,31.34,"' + "x" * 200_000 + '",,\n'
    )
    result = _import(world, HEADER + GOOD + row + GOOD.replace("E", "F"), mode="good-rows")
    assert [e.line for e in result.errors] == [5]
    assert "unreadable CSV" in result.errors[0].reason
    assert result.created == 6  # the reader goes on after the bad line
