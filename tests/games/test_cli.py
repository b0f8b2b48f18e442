import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
TARGET = {
    "id": "nogales",
    "defender_covered": 2,
    "defender_uncovered": -10,
    "attacker_covered": -7,
    "attacker_uncovered": 4,
}


def run(tmp_path, payload, *, raw=None):
    path = tmp_path / "game.json"
    path.write_text(raw if raw is not None else json.dumps(payload))
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "alianza.games", "solve", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_solve_prints_equilibrium(tmp_path):
    second = dict(
        TARGET,
        id="sasabe",
        defender_covered=7,
        defender_uncovered=-4,
        attacker_covered=-1,
        attacker_uncovered=3,
    )
    result = run(tmp_path, {"resources": 1, "targets": [TARGET, second]})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"coverage", "defender_utility", "attacker_utility", "attacked"}
    assert out["attacked"] == "sasabe"
    assert out["coverage"]["nogales"] == pytest.approx(1 / 3)
    assert out["defender_utility"] == pytest.approx(10 / 3)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"resources": 1, "targets": [dict(TARGET, attacker_covered="x")]},
            ["'nogales'", "attacker_covered"],
        ),
        (
            {
                "resources": 1,
                "targets": [{k: v for k, v in TARGET.items() if k != "defender_covered"}],
            },
            ["'nogales'", "defender_covered"],
        ),
        (
            {"resources": 1, "targets": [dict(TARGET, defender_covered=-20)]},
            ["'nogales'", "defender_covered"],
        ),
        (
            {"resources": 1, "targets": [dict(TARGET, attacker_uncovered=-8)]},
            ["'nogales'", "attacker_uncovered"],
        ),
        (
            {"resources": 1, "targets": [dict(TARGET, attacker_uncovered=True)]},
            ["'nogales'", "attacker_uncovered"],
        ),
        ({"resources": -1, "targets": [TARGET]}, ["resources"]),
        ({"targets": [TARGET]}, ["resources"]),
        ({"resources": 1, "targets": []}, ["targets"]),
        ({"resources": 1, "targets": [TARGET, TARGET]}, ["'nogales'", "id"]),
        ({"resources": 1, "targets": [{"defender_covered": 1}]}, ["#0", "id"]),
    ],
)
def test_malformed_input_exits_2_with_message(tmp_path, payload, expected):
    result = run(tmp_path, payload)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr


def test_invalid_json_and_nan(tmp_path):
    result = run(tmp_path, None, raw="{not json")
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    raw = json.dumps({"resources": 1, "targets": [TARGET]}).replace("-7", "NaN")
    result = run(tmp_path, None, raw=raw)
    assert result.returncode == 2 and "attacker_covered" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(SRC))
    result = subprocess.run(
        [sys.executable, "-m", "alianza.games", "solve", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_degenerate_games_via_cli(tmp_path):
    # Resources beyond the number of targets, and a game where every payoff is equal.
    result = run(tmp_path, {"resources": 5, "targets": [TARGET]})
    out = json.loads(result.stdout)
    assert out["coverage"]["nogales"] == 1 and out["defender_utility"] == 2
    flat = {
        "id": "a",
        "defender_covered": 0,
        "defender_uncovered": 0,
        "attacker_covered": 0,
        "attacker_uncovered": 0,
    }
    result = run(tmp_path, {"resources": 0, "targets": [flat, dict(flat, id="b")]})
    out = json.loads(result.stdout)
    assert out["defender_utility"] == 0 and out["attacker_utility"] == 0
