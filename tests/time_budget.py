"""A time budget per test, so the suite stays well inside CI's limit as it grows.

Every test's setup, call and teardown are added up; a test over the budget that is not marked
`slow` fails the run (after all tests ran), named with its time. Tests marked `slow` are only
listed. The budget is generous on purpose (CI runs two suites side by side on two cores): it
catches a test that rebuilds a world or loads the demo, not jitter. Set it with
`--test-budget SECONDS` or ALIANZA_TEST_BUDGET; 0 turns the guard off.
"""

from __future__ import annotations

import os
from collections import defaultdict

import pytest

DEFAULT_BUDGET_SECONDS = 60.0
_spent: dict[str, float] = defaultdict(float)
_slow: set[str] = set()


def pytest_addoption(parser):
    parser.addoption(
        "--test-budget",
        type=float,
        default=float(os.environ.get("ALIANZA_TEST_BUDGET", DEFAULT_BUDGET_SECONDS)),
        help="seconds a test not marked slow may take (setup + call + teardown); 0: no limit",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: may take longer than the per-test budget (loads the demo, etc.)"
    )


def pytest_collection_modifyitems(items):
    # The marker, not a keyword: a folder or test named "slow" exempts nothing.
    _slow.update(item.nodeid for item in items if item.get_closest_marker("slow"))


def pytest_runtest_logreport(report):
    _spent[report.nodeid] += report.duration


def over_budget(spent: dict[str, float], slow: set[str], budget: float) -> list[tuple[str, float]]:
    """Tests over `budget` seconds that are not marked slow, slowest first."""
    if budget <= 0:
        return []
    return [
        (nodeid, seconds)
        for nodeid, seconds in sorted(spent.items(), key=lambda item: -item[1])
        if seconds > budget and nodeid not in slow
    ]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    budget = config.getoption("--test-budget")
    offenders = over_budget(_spent, _slow, budget)
    if offenders:
        terminalreporter.section("tests over the time budget", sep="=", red=True)
        for nodeid, seconds in offenders:
            terminalreporter.write_line(
                f"{seconds:7.1f}s  {nodeid}  "
                f"(budget {budget:g} s: make it faster, or mark it slow)"
            )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    budget = session.config.getoption("--test-budget")
    if over_budget(_spent, _slow, budget) and session.exitstatus == 0:
        session.exitstatus = 1
