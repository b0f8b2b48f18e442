"""GeoJSON import: a FeatureCollection of Points whose properties are the CSV's columns."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from alianza.access.services import marking_default
from alianza.flows.importing import events_import, events_validate
from alianza.flows.models import DrugItem, FlowEvent


def _feature(external_id, lon, lat, **properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "external_id": external_id,
            "kind": "apprehension",
            "occurred_at": "2026-05-01T02:00:00Z",
            **properties,
        },
    }


def _good():
    return [
        _feature("G1", -110.95, 31.34, direction="northbound"),
        _feature(
            "G2",
            -110.96,
            31.335,
            kind="seizure",
            occurred_at="2026-05-02T03:00:00-07:00",
            drug_category="marijuana",
            drug_quantity=100,  # a JSON number, as GIS tools write them
            drug_unit="lb",
            narrative=None,
        ),
        _feature("G3", -111.54, 31.49, kind="got-away"),
    ]


def _collection(features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _events(agency):
    return FlowEvent.objects.unrestricted(reason="test").filter(agency=agency, external_id__gt="")


def _import(world, data, **options):
    return events_import(
        data,
        agency=world.us,
        marking=marking_default(originating_agency=world.us),
        format="geojson",
        **options,
    )


def test_a_feature_collection_imports_and_reimport_changes_nothing(world):
    first = _import(world, _collection(_good()))
    assert (first.created, first.unchanged, first.errors) == (3, 0, [])
    seizure = _events(world.us).get(external_id="G2")
    assert (seizure.lon, seizure.lat, seizure.kind) == (-110.96, 31.335, "seizure")
    assert seizure.occurred_at.isoformat() == "2026-05-02T10:00:00+00:00"
    item = DrugItem.objects.unrestricted(reason="test").get(event=seizure)
    assert str(item.weight_kg) == "45.3592"
    again = _import(world, _collection(_good()))
    assert (again.created, again.unchanged, again.errors) == (0, 3, [])


def test_geojson_properties_use_the_column_mapping(world):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-110.95, 31.33, 1200.0]},
        "properties": {"folio": "MX-7", "evento": "turn_back", "fecha": "2026-05-01T02:00:00Z"},
    }
    mapping = {"external_id": "folio", "kind": "evento", "occurred_at": "fecha"}
    result = _import(world, _collection([feature]), mapping=mapping)
    assert result.created == 1 and _events(world.us).get().external_id == "MX-7"


def _with(change):
    features = _good()
    bad = _feature("G9", -110.95, 31.34)
    change(bad)
    return features + [bad]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: f["geometry"].update(type="LineString"), "must be a Point, not LineString"),
        (lambda f: f.update(geometry=None), "must be a Point, not None"),
        (lambda f: f["geometry"].update(coordinates=["-110.9", "31.3"]), "bad coordinates"),
        (lambda f: f["geometry"].update(coordinates=[-110.95]), "bad coordinates"),
        (lambda f: f["geometry"].update(coordinates=[float("nan"), 31.3]), "not a finite number"),
        (lambda f: f["geometry"].update(coordinates=[-110.95, 95]), "latitude 95 is out of"),
        (lambda f: f["geometry"].update(coordinates=[-111.0, 33.5]), "km from the"),
        (lambda f: f["properties"].pop("kind"), "missing properties: kind"),
        (lambda f: f["properties"].update(kind="smuggling"), "unknown kind"),
        (lambda f: f["properties"].update(occurred_at="yesterday"), "bad date"),
        (lambda f: f["properties"].update(drug_quantity="ten", drug_unit="kg"), "bad number"),
        (lambda f: f["properties"].update(narrative=["a", "b"]), "narrative must be text"),
        (lambda f: f["properties"].update(external_id="G1"), "first in feature 1"),
        (lambda f: f.update(type="Point"), "not a GeoJSON Feature"),
        (lambda f: f.update(properties=[1]), "properties must be an object"),
    ],
)
def test_each_bad_feature_is_reported_by_number_and_nothing_is_written(world, change, reason):
    result = _import(world, _collection(_with(change)))
    assert [(e.unit, e.line) for e in result.errors] == [("feature", 4)]
    assert reason in result.errors[0].reason
    assert str(result.errors[0]).startswith("feature 4: ")
    assert result.created == 0 and not result.written
    assert not _events(world.us).exists()


def test_good_features_mode_writes_the_good_ones_and_reports_the_rest(world):
    features = _good()
    features.insert(1, _feature("G8", -110.95, 31.34, occurred_at="not-a-date"))
    features.append("not a feature")
    result = _import(world, _collection(features), mode="good-rows")
    assert result.created == 3
    assert [(e.unit, e.line) for e in result.errors] == [("feature", 2), ("feature", 5)]


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b'{"type": "FeatureCollection",\n "features": [\n  {"type": }]}', 3, "not valid JSON"),
        (b'{"type": "Feature", "geometry": null}', 1, "not a GeoJSON FeatureCollection"),
        (b"[]", 1, "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": {}}', 1, "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection",\n"features": [], "name": "caf\xe9"}', 2, "not UTF-8"),
        (b'{"type": "FeatureCollection", "features": [' + b"1" * 5000 + b"]}", 1, "not valid"),
        (b"[" * 100_000 + b"]" * 100_000, 1, "not valid JSON"),
    ],
)
def test_a_malformed_file_is_one_error_with_its_line(world, data, line, reason):
    good, errors = events_validate(data, format="geojson")
    assert good == [] and [e.line for e in errors] == [line]
    assert reason in errors[0].reason


def test_the_command_detects_geojson_by_extension_or_format(world, tmp_path, capsys):
    features = _good()
    bad = _feature("G9", -110.95, 95)
    source = tmp_path / "events.geojson"
    source.write_bytes(_collection([*features, bad]))
    with pytest.raises(CommandError, match="1 bad rows"):
        call_command("import-events", str(source), "--agency", "USBP")
    assert "feature 4: latitude 95 is out of range" in capsys.readouterr().err
    assert not _events(world.us).exists()
    renamed = tmp_path / "events.txt"
    renamed.write_bytes(_collection(features))
    call_command("import-events", str(renamed), "--agency", "USBP", "--format", "geojson")
    assert "created 3" in capsys.readouterr().out
    assert _events(world.us).count() == 3


def test_the_command_refuses_a_missing_file_or_a_bad_mapping_without_a_traceback(world, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import-events", str(tmp_path / "nope.csv"), "--agency", "USBP")
    source = tmp_path / "events.geojson"
    source.write_bytes(_collection(_good()))
    mapping = tmp_path / "mapping.json"
    for text in ("{not json", '["kind"]', '{"kind": 3}'):
        mapping.write_text(text)
        with pytest.raises(CommandError):
            call_command(
                "import-events", str(source), "--agency", "USBP", "--mapping", str(mapping)
            )
    assert not _events(world.us).exists()
