"""Smuggling-flow simulator for comparing patrol strategies (issue 7).

Pure Python + NumPy, no Django. Smuggling organisations choose where and when to cross with
a logit (SUQR-style) model and learn perceived risk from what they see of patrols and
interdictions, so strategies can be compared with adaptation and displacement included.

    from alianza.sim import load_scenario, simulate, parse_strategy
    result = simulate(scenario=load_scenario("nogales"), strategy=parse_strategy("uniform"),
                      seed=1)
    result.summary()

Command line: ``python -m alianza.sim run nogales --strategies uniform,fixed --seeds 10``.
"""

from .history import History
from .metrics import RunResult, mean_ci
from .model import simulate
from .scenario import (
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_from_dict,
    scenario_from_segments,
    synthetic_config,
)
from .strategies import (
    REGISTRY,
    CoverageStrategy,
    FixedSchedule,
    HotspotChasing,
    NoPatrol,
    RobustQuantalResponse,
    SecurityGameStrategy,
    Strategy,
    UniformRandom,
    parse_strategy,
    register,
)

__all__ = [
    "REGISTRY",
    "CoverageStrategy",
    "FixedSchedule",
    "History",
    "HotspotChasing",
    "NoPatrol",
    "RobustQuantalResponse",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SecurityGameStrategy",
    "Strategy",
    "UniformRandom",
    "load_scenario",
    "mean_ci",
    "parse_strategy",
    "register",
    "scenario_from_dict",
    "scenario_from_segments",
    "simulate",
    "synthetic_config",
]
