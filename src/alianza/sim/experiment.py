"""Experiments: every strategy over the same seeds (common random numbers), serial or fanned
out over a process pool, summarised with 95% confidence intervals, written to CSV and a chart.

A run is a plain, picklable `Task` (scenario source, strategy spec, seed, days) handled by
the top-level function `run_task`, so any `concurrent.futures.Executor` can run them: the
local process pool here, or a cluster executor later (e.g. dask.distributed's or
mpi4py.futures' Executor) passed as `executor=`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from alianza import csvsafe

from .metrics import mean_ci, summarise
from .model import Compiled, simulate
from .scenario import Scenario, load_scenario, scenario_from_dict
from .strategies import parse_strategy

# Columns of the printed table (all summary metrics go to the CSV files).
TABLE_METRICS = (
    "interdiction_rate",
    "effectiveness_rate",
    "got_aways",
    "displacement_index",
    "patrol_hours",
)
PAIRED_METRICS = ("interdiction_rate", "displacement_index")
ROLLING_DAYS = 7


@dataclass(frozen=True)
class Task:
    scenario: str | Mapping[str, Any]  # TOML path, packaged name, or a scenario mapping
    strategy: str  # strategy spec, e.g. "hotspot:window=14"
    seed: int
    days: int | None = None
    pressured_corridor: str | None = None  # overrides the scenario's, for displacement


@dataclass
class TaskResult:
    scenario: str
    strategy: str
    seed: int
    summary: dict[str, float]
    interdiction_rate: np.ndarray  # (D,)
    displacement: np.ndarray  # (D,)
    source: str = ""  # e.g. which solver a security-game strategy used


@dataclass
class ExperimentResult:
    scenario: str
    strategies: list[str]
    seeds: list[int]
    runs: list[TaskResult]
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, float | str | int]]:
        return [
            {"scenario": r.scenario, "strategy": r.strategy, "seed": r.seed, **r.summary}
            for r in self.runs
        ]

    def metric_names(self) -> list[str]:
        return list(self.runs[0].summary) if self.runs else []

    def table(self) -> list[dict[str, float | str]]:
        return summarise(self.rows(), metrics=self.metric_names())

    def paired(
        self, *, metrics: Sequence[str] = PAIRED_METRICS, reference: str | None = None
    ) -> list[dict[str, float | str]]:
        """Mean and 95% CI of each strategy's difference from `reference` (default: the
        first strategy), paired by seed: common random numbers make these much tighter
        than the difference of two independent means."""
        ref = reference or self.strategies[0]
        base = {r.seed: r.summary for r in self.runs if r.strategy == ref}
        out = []
        for s in self.strategies:
            if s == ref:
                continue
            entry: dict[str, float | str] = {"strategy": s, "reference": ref}
            runs = [r for r in self.runs if r.strategy == s and r.seed in base]
            for m in metrics:
                mean, lo, hi = mean_ci(r.summary[m] - base[r.seed][m] for r in runs)
                entry.update({m: mean, f"{m}_lo": lo, f"{m}_hi": hi})
            out.append(entry)
        return out

    def series(self, strategy: str, name: str) -> np.ndarray:
        """(seeds, D) daily series `interdiction_rate` or `displacement` of one strategy."""
        return np.array([getattr(r, name) for r in self.runs if r.strategy == strategy])


def _label(source: str | Mapping[str, Any]) -> str:
    if isinstance(source, str):
        return Path(source).stem if source.endswith(".toml") else source
    return str(source.get("scenario", {}).get("name", "scenario"))


@lru_cache(maxsize=8)
def _load_cached(source: str, pressured: str | None) -> tuple[Scenario, Compiled]:
    return _compile(load_scenario(source), pressured)


def _compile(sc: Scenario, pressured: str | None) -> tuple[Scenario, Compiled]:
    if pressured is not None:
        sc.corridor_index(pressured)  # clear error for an unknown corridor
        sc = replace(sc, pressured_corridor=pressured)
    return sc, Compiled(sc)


def run_task(task: Task) -> TaskResult:
    """Run one (scenario, strategy, seed); top-level so process pools can pickle it."""
    if isinstance(task.scenario, str):
        scenario, comp = _load_cached(task.scenario, task.pressured_corridor)
    else:
        scenario, comp = _compile(scenario_from_dict(task.scenario), task.pressured_corridor)
    strategy = parse_strategy(task.strategy)
    res = simulate(
        scenario=scenario, strategy=strategy, seed=task.seed, days=task.days, compiled=comp
    )
    return TaskResult(
        scenario=_label(task.scenario),
        strategy=task.strategy,
        seed=task.seed,
        summary=res.summary(),
        interdiction_rate=res.interdiction_rate_series().astype(np.float32),
        displacement=res.displacement_series().astype(np.float32),
        source=getattr(strategy, "source", ""),
    )


def run_tasks(
    tasks: Sequence[Task], *, workers: int | None = 1, executor: Executor | None = None
) -> list[TaskResult]:
    """Results in task order. `workers=1`: serial in this process; `workers=None`: a
    process pool on all cores; `executor`: any concurrent.futures.Executor (a cluster)."""
    if executor is not None:
        return list(executor.map(run_task, tasks))
    if workers == 1 or len(tasks) <= 1:
        return [run_task(t) for t in tasks]
    n = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=n) as pool:
        chunk = max(1, len(tasks) // (4 * n))
        return list(pool.map(run_task, tasks, chunksize=chunk))


def run_sweep(
    *,
    scenarios: Sequence[str | Mapping[str, Any]],
    strategies: Sequence[str],
    seeds: Iterable[int],
    days: int | None = None,
    workers: int | None = 1,
    executor: Executor | None = None,
    pressured_corridor: str | None = None,
) -> list[ExperimentResult]:
    """Every scenario x strategy x seed in one pool; one ExperimentResult per scenario."""
    seeds = list(seeds)
    for s in strategies:
        parse_strategy(s)  # fail fast on a bad spec, before any worker starts
    for sc in scenarios:
        compiled = load_scenario(sc) if isinstance(sc, str) else scenario_from_dict(sc)
        if pressured_corridor is not None:
            compiled.corridor_index(pressured_corridor)
    tasks = [
        Task(sc, s, seed, days, pressured_corridor)
        for sc in scenarios
        for seed in seeds
        for s in strategies
    ]
    runs = run_tasks(tasks, workers=workers, executor=executor)
    out = []
    per = len(seeds) * len(strategies)
    for i, sc in enumerate(scenarios):
        mine = runs[i * per : (i + 1) * per]
        notes = sorted({f"{r.strategy}: {r.source}" for r in mine if r.source})
        out.append(ExperimentResult(_label(sc), list(strategies), seeds, mine, notes))
    return out


def run_experiment(
    *,
    scenario: str | Mapping[str, Any],
    strategies: Sequence[str],
    seeds: Iterable[int],
    days: int | None = None,
    workers: int | None = 1,
    executor: Executor | None = None,
    pressured_corridor: str | None = None,
) -> ExperimentResult:
    """Run every strategy on every seed of one scenario (see run_tasks for `workers`)."""
    return run_sweep(
        scenarios=[scenario],
        strategies=strategies,
        seeds=seeds,
        days=days,
        workers=workers,
        executor=executor,
        pressured_corridor=pressured_corridor,
    )[0]


# --------------------------------------------------------------------------------------
# Output


def format_table(result: ExperimentResult, *, metrics: Sequence[str] = TABLE_METRICS) -> str:
    """Means [95% CI] per strategy, paired differences from the first strategy, and mean
    interdiction rate per commodity and direction."""
    table = result.table()
    n = len(result.seeds)
    blocks = [
        f"scenario {result.scenario}: mean [95% CI] over {n} seed(s), "
        "common random numbers across strategies",
        _grid(
            ["strategy", *metrics],
            [
                [str(r["strategy"])] + [_fmt_ci(r[m], r[f"{m}_lo"], r[f"{m}_hi"]) for m in metrics]
                for r in table
            ],
        ),  # fmt: skip
    ]
    paired = result.paired()
    if paired:
        ref = paired[0]["reference"]
        blocks.append(f"difference from {ref}, paired by seed: mean [95% CI]")
        blocks.append(
            _grid(
                ["strategy", *PAIRED_METRICS],
                [
                    [str(r["strategy"])]
                    + [
                        _fmt_ci(r[m], r[f"{m}_lo"], r[f"{m}_hi"], signed=True)
                        for m in PAIRED_METRICS
                    ]
                    for r in paired
                ],
            )  # fmt: skip
        )
    rate_cols = [m for m in result.metric_names() if m.startswith("interdiction_rate_")]
    rate_cols = [m for m in rate_cols if m != "interdiction_rate_final"]
    if rate_cols:
        blocks.append("interdiction rate per commodity and direction (mean)")
        blocks.append(
            _grid(
                ["strategy", *(m.removeprefix("interdiction_rate_") for m in rate_cols)],
                [[str(r["strategy"])] + [_fmt(r[m]) for m in rate_cols] for r in table],
            )
        )
    blocks.extend(f"note: {x}" for x in result.notes)
    return "\n".join(blocks)


def _grid(head: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for c in cells:
        lines.append("  ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)))
    return "\n".join(lines)


def _fmt(m: Any) -> str:
    m = float(m)
    return "n/a" if math.isnan(m) else (f"{m:,.0f}" if abs(m) >= 1000 else f"{m:.3f}")


def _fmt_ci(m: Any, lo: Any, hi: Any, *, signed: bool = False) -> str:
    m, lo, hi = float(m), float(lo), float(hi)
    if math.isnan(m):
        return "n/a"
    sign = "+" if signed else ""
    if lo == hi == m:
        return f"{m:{sign},.0f}" if abs(m) >= 1000 else f"{m:{sign}.3f}"
    if abs(m) >= 1000:
        return f"{m:{sign},.0f} [{lo:{sign},.0f}, {hi:{sign},.0f}]"
    return f"{m:{sign}.3f} [{lo:{sign}.3f}, {hi:{sign}.3f}]"


def write_outputs(result: ExperimentResult, *, out_dir: Path, chart: bool = True) -> list[Path]:
    """runs.csv (one row per strategy x seed), summary.csv (means and CIs), paired.csv
    (differences from the first strategy, paired by seed), daily.csv (per strategy, seed
    and day) and chart.png."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    rows = result.rows()
    p = out_dir / "runs.csv"
    _write_csv(p, rows)
    written.append(p)
    p = out_dir / "summary.csv"
    _write_csv(p, result.table())
    written.append(p)
    if len(result.strategies) > 1:
        p = out_dir / "paired.csv"
        _write_csv(p, result.paired(metrics=result.metric_names()))
        written.append(p)
    p = out_dir / "daily.csv"
    with p.open("w", newline="") as fh:
        w = csvsafe.writer(fh)
        w.writerow(["strategy", "seed", "day", "interdiction_rate", "displacement_index"])
        for r in result.runs:
            for d, (a, b) in enumerate(zip(r.interdiction_rate, r.displacement, strict=True)):
                w.writerow([r.strategy, r.seed, d, _num(a), _num(b)])
    written.append(p)
    if chart:
        p = out_dir / "chart.png"
        plot(result, path=p)
        written.append(p)
    return written


def _num(x: float) -> str:
    return "" if math.isnan(x) else f"{x:.6g}"


def _write_csv(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    with path.open("w", newline="") as fh:
        w = csvsafe.dict_writer(fh, fieldnames=list(rows[0]) if rows else [])
        w.writeheader()
        for r in rows:
            w.writerow({k: _num(v) if isinstance(v, float) else v for k, v in r.items()})


def plot(result: ExperimentResult, *, path: Path) -> None:
    """Interdiction rate and displacement over time per strategy (7-day rolling mean over
    days, then mean and 95% CI over seeds)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy import stats

    fig, axes = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    panels = (("interdiction_rate", "interdiction rate"), ("displacement", "displacement index"))
    for ax, (key, label) in zip(axes, panels, strict=True):
        for s in result.strategies:
            x = _rolling(result.series(s, key).astype(float), ROLLING_DAYS)
            n = np.sum(~np.isnan(x), axis=0)
            with np.errstate(invalid="ignore"):
                m = np.nanmean(x, axis=0) if x.size else x
                sd = np.nanstd(x, axis=0, ddof=1) if x.shape[0] > 1 else np.zeros_like(m)
                half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(np.maximum(n, 1))
            days = np.arange(m.size)
            ax.plot(days, m, label=s, lw=1.2)
            ax.fill_between(days, m - half, m + half, alpha=0.2)
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].legend(loc="best", fontsize="small")
    axes[1].set_xlabel("day")
    axes[0].set_title(
        f"{result.scenario}: {len(result.seeds)} seeds, {ROLLING_DAYS}-day rolling mean, 95% CI"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _rolling(x: np.ndarray, k: int) -> np.ndarray:
    """Trailing k-day mean along axis 1, ignoring NaN days."""
    if x.ndim != 2 or x.shape[1] == 0:
        return x
    v = np.nan_to_num(x)
    ok = (~np.isnan(x)).astype(float)
    cv = np.cumsum(np.pad(v, ((0, 0), (k, 0))), axis=1)
    co = np.cumsum(np.pad(ok, ((0, 0), (k, 0))), axis=1)
    s = cv[:, k:] - cv[:, :-k]
    c = co[:, k:] - co[:, :-k]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c > 0, s / c, np.nan)
