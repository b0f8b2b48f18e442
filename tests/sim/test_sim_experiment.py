"""Experiments, outputs and the command line."""

import csv

import numpy as np
import pytest

from alianza.sim import ScenarioError, synthetic_config
from alianza.sim.__main__ import main
from alianza.sim.experiment import format_table, run_experiment, run_sweep, write_outputs
from alianza.sim.metrics import mean_ci


def _cfg():
    cfg = synthetic_config(n_segments=30, units=4, attempts_per_day=15)
    cfg["scenario"]["days"] = 20
    return cfg


def test_experiment_common_seeds_table_and_files(tmp_path):
    res = run_experiment(scenario=_cfg(), strategies=["uniform", "fixed"], seeds=range(3))
    assert len(res.runs) == 6
    by = {(r.strategy, r.seed): r.summary for r in res.runs}
    for seed in range(3):  # common random numbers: same attempts for every strategy
        assert by[("uniform", seed)]["attempts"] == by[("fixed", seed)]["attempts"]
    table = res.table()
    assert [t["strategy"] for t in table] == ["uniform", "fixed"]
    for t in table:
        assert t["interdiction_rate_lo"] <= t["interdiction_rate"] <= t["interdiction_rate_hi"]
    text = format_table(res)
    assert "uniform" in text and "95% CI" in text
    files = write_outputs(res, out_dir=tmp_path, chart=True)
    names = {f.name for f in files}
    assert names == {"runs.csv", "summary.csv", "paired.csv", "daily.csv", "chart.png"}
    with (tmp_path / "daily.csv").open() as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == 6 * 20
    assert (tmp_path / "chart.png").stat().st_size > 1000


def test_process_pool_gives_the_serial_results():
    kw = {"scenario": _cfg(), "strategies": ["uniform", "hotspot"], "seeds": [4, 5]}
    serial = run_experiment(**kw, workers=1)
    pooled = run_experiment(**kw, workers=2)
    assert [r.summary for r in serial.runs] == [r.summary for r in pooled.runs]


def test_any_executor_can_run_the_tasks():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as ex:
        res = run_experiment(scenario=_cfg(), strategies=["uniform"], seeds=[1, 2], executor=ex)
    assert len(res.runs) == 2


def test_bad_strategy_fails_before_running():
    with pytest.raises(ValueError, match="unknown strategy 'psychic'"):
        run_experiment(scenario=_cfg(), strategies=["psychic"], seeds=[0])


def test_cli_runs_the_packaged_scenario(tmp_path, capsys):
    args = ["run", "nogales", "--strategies", "uniform,fixed", "--seeds", "2", "--days", "10"]
    code = main([*args, "--workers", "1", "--out", str(tmp_path), "--no-chart"])
    out = capsys.readouterr().out
    assert code == 0
    assert "interdiction_rate" in out and "fixed" in out
    assert (tmp_path / "summary.csv").exists() and not (tmp_path / "chart.png").exists()


def test_cli_reports_errors(tmp_path, capsys):
    assert main(["run", "nogales", "--strategies", "nope", "--out", str(tmp_path)]) == 2
    assert "unknown strategy" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\n')
    assert main(["run", str(bad), "--out", str(tmp_path)]) == 2
    assert "terrain" in capsys.readouterr().err


def test_cli_list(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "nogales" in out and "robust-qr" in out


def test_mean_ci():
    m, lo, hi = mean_ci([1.0, 2.0, 3.0])
    assert m == 2.0 and lo < 2.0 < hi
    assert hi - m == pytest.approx(4.302653 * 1.0 / np.sqrt(3), rel=1e-5)
    assert mean_ci([5.0]) == (5.0, 5.0, 5.0)


def test_paired_differences_use_common_seeds():
    res = run_experiment(scenario=_cfg(), strategies=["uniform", "none"], seeds=range(3))
    (row,) = res.paired()
    assert row["strategy"] == "none" and row["reference"] == "uniform"
    # "none" interdicts nothing, so the paired difference is minus uniform's rate per seed.
    uni = [r.summary["interdiction_rate"] for r in res.runs if r.strategy == "uniform"]
    assert row["interdiction_rate"] == pytest.approx(-np.mean(uni))
    assert row["interdiction_rate_lo"] <= row["interdiction_rate"] <= row["interdiction_rate_hi"]
    assert "paired by seed" in format_table(res)


def test_sweep_runs_several_scenarios_in_one_pool():
    other = _cfg()
    other["scenario"]["name"] = "other"
    other["organisations"][0]["flows"][0]["attempts_per_day"] = 5.0
    results = run_sweep(scenarios=[_cfg(), other], strategies=["uniform"], seeds=[0, 1])
    assert [r.scenario for r in results] == ["synthetic", "other"]
    assert results[1].runs[0].summary["attempts"] < results[0].runs[0].summary["attempts"]


def test_pressured_corridor_override():
    a = run_experiment(scenario=_cfg(), strategies=["none"], seeds=[0])
    b = run_experiment(scenario=_cfg(), strategies=["none"], seeds=[0], pressured_corridor="c2")
    assert a.runs[0].summary["attempts"] == b.runs[0].summary["attempts"]
    assert not np.allclose(a.runs[0].displacement, b.runs[0].displacement)
    with pytest.raises(ScenarioError, match="pressured_corridor"):
        run_experiment(scenario=_cfg(), strategies=["none"], seeds=[0], pressured_corridor="x")


def test_cli_sweep_writes_one_folder_per_scenario(tmp_path, capsys):
    toml = tmp_path / "tiny.toml"
    toml.write_text(
        '[scenario]\nname = "tiny"\nslots = ["night", "day"]\npressured_corridor = "a"\n'
        "[line]\nlength_km = 20.0\n[terrain.desert]\ncost = 0.0\n"
        '[[corridors]]\nname = "a"\nfrom_km = 0.0\nto_km = 10.0\n'
        '[[corridors]]\nname = "b"\nfrom_km = 10.0\nto_km = 20.0\n'
        '[[commodities]]\nname = "drugs"\ndirection = "north"\n'
        '[[organisations]]\nname = "o"\nhome_corridor = "a"\n'
        'flows = [{ commodity = "drugs", attempts_per_day = 8.0 }]\n'
        '[[units]]\nname = "u"\ncount = 3\napprehend_prob = 0.8\ndetection = { desert = 0.7 }\n'
    )
    args = ["run", "nogales", str(toml), "--strategies", "uniform,hotspot", "--seeds", "2"]
    code = main([*args, "--days", "8", "--workers", "1", "--out", str(tmp_path / "o")])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "o" / "nogales" / "chart.png").exists()
    assert (tmp_path / "o" / "tiny" / "paired.csv").exists()
