"""Scenario loading, the segment adapter, and clear errors naming the malformed field."""

import copy
import re

import numpy as np
import pytest

from alianza.sim import ScenarioError, load_scenario, scenario_from_dict, scenario_from_segments
from alianza.sim.scenario import packaged_scenarios, synthetic_config


def test_packaged_nogales_loads():
    assert "nogales" in packaged_scenarios()
    sc = load_scenario("nogales")
    assert sc.n_segments == 420
    assert sc.n_slots == 4
    assert [c.name for c in sc.corridors] == ["lukeville", "sasabe", "nogales", "naco", "douglas"]
    assert sc.pressured_corridor == "nogales"
    assert {(c.name, c.direction) for c in sc.commodities} == {
        ("drugs", "north"), ("migrants", "north"), ("guns", "south"), ("cash", "south")
    }  # fmt: skip
    assert sc.units_per_slot == 200
    assert sc.detection.shape == (4, 420, 4)
    assert 0 <= sc.detection.min() and sc.detection.max() <= 1
    np.testing.assert_allclose(sc.value.max(axis=1), 1.0)
    # The Nogales port segments are urban and have road access.
    mid = sc.segments.km_mid
    town = (mid > 232) & (mid < 248)
    assert set(sc.terrains[i] for i in sc.segments.terrain[town]) == {"urban"}


def test_load_from_path(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text(
        '[scenario]\nname = "tiny"\nslots = ["night"]\n[line]\nlength_km = 5.0\n'
        "[terrain.desert]\ncost = 0.0\n"
        '[[corridors]]\nname = "a"\nfrom_km = 0.0\nto_km = 5.0\n'
        '[[commodities]]\nname = "drugs"\ndirection = "north"\n'
        '[[organisations]]\nname = "o"\nhome_corridor = "a"\n'
        'flows = [{ commodity = "drugs", attempts_per_day = 3.0 }]\n'
    )
    sc = load_scenario(p)
    assert sc.name == "tiny" and sc.n_segments == 5 and sc.units == ()


def test_unknown_scenario_name_lists_packaged():
    with pytest.raises(FileNotFoundError, match="nogales"):
        load_scenario("atlantis")


def test_invalid_toml_is_reported(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("[scenario\nname=")
    with pytest.raises(ScenarioError, match="invalid TOML"):
        load_scenario(p)


def test_segment_adapter_builds_from_segment_dicts():
    cfg = synthetic_config()
    segs = [
        {"km_start": 0.0, "km_end": 2.5, "terrain": "desert", "access": 0.9, "corridor": "c1"},
        {"km_start": 2.5, "km_end": 4.0, "terrain": "desert"},
        {"km_start": 4.0, "km_end": 30.0, "terrain": "desert", "access": 0.1},
        {"km_start": 30.0, "km_end": 60.0, "terrain": "desert"},
    ]
    sc = scenario_from_segments(segments=segs, config=cfg)
    assert sc.n_segments == 4
    # Explicit corridor wins; the others fall in corridor km ranges by their midpoint
    # (c0 is 0-20 km, c2 40-60 km).
    assert [sc.corridors[i].name for i in sc.segments.corridor] == ["c1", "c0", "c0", "c2"]
    np.testing.assert_allclose(sc.segments.access, [0.9, 0.2, 0.1, 0.2])


def _set(cfg, path, value):
    """Set cfg[a][b][0][c] from 'a.b[0].c'; value None deletes the key."""
    keys = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    node = cfg
    for k in keys[:-1]:
        node = node[k]
    if value is None:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value


MALFORMED = [
    ("organisations[0].home_corridor", "nowhere", "organisations[0].home_corridor"),
    ("organisations[0].flows[0].commodity", "gold", "organisations[0].flows[0].commodity"),
    (
        "organisations[0].flows[0].attempts_per_day",
        -1.0,
        "organisations[0].flows[0].attempts_per_day",
    ),
    ("organisations[0].flows[0].attempts_per_day", None, "organisations[0].flows[0]"),
    ("organisations[0].flows[0].load", "heavy", "organisations[0].flows[0].load"),
    ("organisations[0].learning_rate", 1.5, "organisations[0].learning_rate"),
    ("organisations[0].weights", {"greed": 1.0}, "organisations[0].weights.greed"),
    ("commodities[1].direction", "east", "commodities[1].direction"),
    ("commodities[0].name", "cash", "commodities[1].name"),  # duplicate
    ("corridors[1].to_km", 1.0, "corridors[1].to_km"),
    ("corridors[0].value", {"gold": 2.0}, "corridors[0].value.gold"),
    ("units[0].detection", {"desert": 1.5}, "units[0].detection.desert"),
    ("units[0].detection", {"swamp": 0.5}, "units[0].detection.swamp"),
    ("units[0].count", 2.5, "units[0].count"),
    ("units[0].apprehend_prob", None, "units[0].apprehend_prob"),
    ("line.length_km", 0.0, "line.length_km"),
    ("line.default_terrain", "swamp", "line.terrain"),
    ("scenario.pressured_corridor", "c9", "scenario.pressured_corridor"),
    ("scenario.slots", [], "scenario.slots"),
    ("outcomes.turn_back_share", 2, "outcomes.turn_back_share"),
    ("terrain", {}, "terrain"),
    ("organisations", None, "organisations"),
]


@pytest.mark.parametrize(("path", "value", "named"), MALFORMED)
def test_malformed_scenario_names_the_field(path, value, named):
    cfg = copy.deepcopy(synthetic_config())
    _set(cfg, path, value)
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(cfg)
    assert str(err.value).startswith(named), str(err.value)


def test_corridor_without_segments_is_an_error():
    cfg = synthetic_config(n_segments=30)
    cfg["corridors"][0].update(from_km=100.0, to_km=200.0)
    with pytest.raises(ScenarioError, match=r"corridors\[0\].*no segment"):
        scenario_from_dict(cfg)


def test_segment_errors_name_the_segment():
    cfg = synthetic_config()
    segs = [{"km_start": 0.0, "km_end": 1.0, "terrain": "desert"},
            {"km_start": 1.0, "km_end": 2.0, "terrain": "ice"}]  # fmt: skip
    with pytest.raises(ScenarioError, match=r"^segments\[1\]\.terrain"):
        scenario_from_segments(segments=segs, config=cfg)


def test_assumptions_note_ships_next_to_the_scenario():
    from importlib import resources

    note = resources.files("alianza.sim") / "scenarios" / "nogales.md"
    text = note.read_text(encoding="utf-8")
    for source in ("sector_profile_2011_2019.csv", "nationwide-drugs-fy19-fy22.csv",
                   "apprehensions_seizures_stats_2011_2019.csv"):  # fmt: skip
        assert source in text
