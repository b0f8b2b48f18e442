import json

import pytest
from django.core.management import CommandError, call_command

from alianza.access.services import marking_default
from alianza.flows.importing import events_import, events_validate
from alianza.flows.models import DrugItem, FlowEvent

HEADER = "external_id,kind,direction,occurred_at,lon,lat,drug_category,drug_quantity,drug_unit\n"
GOOD = (
    "E1,apprehension,northbound,2026-05-01T02:00:00Z,-110.95,31.34,,,\n"
    "E2,seizure,northbound,2026-05-02T03:00:00-07:00,-110.96,31.335,marijuana,100,lb\n"
    "E3,got-away,unknown,2026-05-03T04:00:00+00:00,-111.54,31.49,,,\n"
)


def _events(agency):
    return FlowEvent.objects.unrestricted(reason="test").filter(agency=agency, external_id__gt="")


def _import(world, text, **options):
    data = text.encode() if isinstance(text, str) else text
    return events_import(
        data, agency=world.us, marking=marking_default(originating_agency=world.us), **options
    )


def test_good_file_imports_and_reimport_changes_nothing(world):
    first = _import(world, HEADER + GOOD)
    assert (first.created, first.unchanged, first.errors) == (3, 0, [])
    seizure = _events(world.us).get(external_id="E2")
    item = DrugItem.objects.unrestricted(reason="test").get(event=seizure)
    assert str(item.weight_kg) == "45.3592"
    assert seizure.occurred_at.isoformat() == "2026-05-02T10:00:00+00:00"
    again = _import(world, HEADER + GOOD)
    assert (again.created, again.unchanged, again.errors) == (0, 3, [])
    assert _events(world.us).count() == 3


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("E9,apprehension,northbound,2026-05-01T02:00:00Z,-110.95\n", "5 columns, expected 9"),
        ("E9,seizure,northbound,2026-05-01T02:00:00Z,-110.95,31.34,cocaine,ten,kg\n", "bad number"),
        ("E9,seizure,northbound,2026-05-01T02:00:00Z,-110.95,31.34,cocaine,-1,kg\n", "bad number"),
        ("E9,apprehension,northbound,2026-13-45T02:00:00Z,-110.95,31.34,,,\n", "bad date"),
        ("E9,apprehension,northbound,yesterday,-110.95,31.34,,,\n", "bad date"),
        ("E9,apprehension,northbound,2026-05-01T02:00:00,-110.95,31.34,,,\n", "no time zone"),
        ("E9,apprehension,northbound,2026-05-01T02:00:00Z,abc,31.34,,,\n", "bad coordinates"),
        ("E9,apprehension,northbound,2026-05-01T02:00:00Z,-111.0,33.5,,,\n", "km from the"),
        ("E9,smuggling,northbound,2026-05-01T02:00:00Z,-110.95,31.34,,,\n", "unknown kind"),
        ("E9,apprehension,sideways,2026-05-01T02:00:00Z,-110.95,31.34,,,\n", "unknown direction"),
        ("E9,seizure,northbound,2026-05-01T02:00:00Z,-110.95,31.34,tea,1,kg\n", "drug category"),
        ("E1,apprehension,northbound,2026-05-01T02:00:00Z,-110.95,31.34,,,\n", "duplicate"),
    ],
)
def test_each_bad_row_is_reported_with_its_line_and_all_or_nothing_writes_none(world, row, reason):
    result = _import(world, HEADER + GOOD + row)
    assert [e.line for e in result.errors] == [5]
    assert reason in result.errors[0].reason
    assert result.created == 0 and not result.written
    assert not _events(world.us).exists()


def test_good_rows_mode_writes_the_good_ones_and_reports_the_rest(world):
    bad = (
        "E9,apprehension,northbound,not-a-date,-110.95,31.34,,,\n"
        "E10,apprehension,northbound,2026-05-01T02:00:00Z,-111.0,33.5,,,\n"
    )
    result = _import(world, HEADER + GOOD + bad, mode="good-rows")
    assert result.created == 3
    assert [e.line for e in result.errors] == [5, 6]
    assert set(_events(world.us).values_list("external_id", flat=True)) == {"E1", "E2", "E3"}


def test_undecodable_bytes_are_reported_with_their_line(world):
    data = (
        HEADER + GOOD
    ).encode() + b"E9,apprehension,northbound,2026-05-01T02:00:00Z,-110.95,31.34,caf\xe9,,\n"
    good, errors = events_validate(data)
    assert good == [] and errors[0].line == 5 and "UTF-8" in errors[0].reason


def test_missing_columns_are_reported_on_line_1(world):
    good, errors = events_validate(b"id,kind\n1,seizure\n")
    assert errors[0].line == 1 and "external_id" in errors[0].reason


def test_a_mapping_renames_source_columns(world):
    text = "ID,Tipo,Fecha,X,Y\nM1,turn_back,2026-05-01T02:00:00Z,-110.95,31.33\n"
    mapping = {"external_id": "ID", "kind": "Tipo", "occurred_at": "Fecha", "lon": "X", "lat": "Y"}
    result = _import(world, text, mapping=mapping)
    assert result.created == 1 and _events(world.us).get().kind == "turn_back"


def test_command_reports_bad_rows_and_imports_with_a_mapping(world, tmp_path, capsys):
    source = tmp_path / "events.csv"
    source.write_text(HEADER + GOOD + "E9,apprehension,northbound,bad,-110.95,31.34,,,\n")
    with pytest.raises(CommandError):
        call_command("import-events", str(source), "--agency", "USBP")
    assert "line 5" in capsys.readouterr().err
    assert not _events(world.us).exists()
    with pytest.raises(CommandError):
        call_command("import-events", str(source), "--agency", "USBP", "--mode", "good-rows")
    assert _events(world.us).count() == 3
    mapped = tmp_path / "mx.csv"
    mapped.write_text(
        "folio,evento,fecha,lon,lat\nMX1,seizure,2026-05-01T02:00:00Z,-110.95,31.32\n"
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"external_id": "folio", "kind": "evento", "occurred_at": "fecha"})
    )
    call_command(
        "import-events",
        str(mapped),
        "--agency",
        "MXFP",
        "--mapping",
        str(mapping),
        "--releasable-to",
        "USBP",
    )
    assert "created 1" in capsys.readouterr().out
    assert FlowEvent.objects.visible_to(world.user("us_analyst")).filter(external_id="MX1").exists()
