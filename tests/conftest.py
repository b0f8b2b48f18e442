"""Fixtures for the Django suites. The pure libraries' tests (games, sim, border geometry) also
run without Django (`pytest -p no:django tests/games`), so the import is conditional.

`ALIANZA_TEST_TODAY` runs the whole session at another date, to prove that no test depends on
the calendar: `2028-02-29` (that day, at the current time of day in the display time zone),
`2027-01-01T06:30-07:00` (that instant), or `+400d` / `-30d` (that many days from now). The
clock keeps ticking; tests that travel in time themselves (time_machine.travel) still do. It
starts here, as this file is imported: before the test modules (and their module-level dates),
the test database and every fixture."""

import os

import pytest
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from session_clock import session_clock_start, session_clock_stop

# The per-test time budget and the ten slowest tests (see time_budget.py).
pytest_plugins = ["time_budget"]

try:
    from django.conf import settings

    session_clock_start(settings.ALIANZA_DISPLAY_TIME_ZONE)
except (ImproperlyConfigured, AttributeError):  # without Django: the display zone's default
    session_clock_start()

try:
    from world import *  # noqa: F403
    from world import PASSWORD, login_verified, make_report, make_user  # noqa: F401
except (AppRegistryNotReady, ImproperlyConfigured):  # running without pytest-django
    pass


def pytest_report_header(config):
    import session_clock

    if session_clock.target is not None:
        value = os.environ["ALIANZA_TEST_TODAY"]
        return f"ALIANZA_TEST_TODAY={value}: the session starts at {session_clock.target}"
    return None


def pytest_unconfigure(config):
    session_clock_stop()


def pytest_collection_modifyitems(config, items):
    """The shared world holds a transaction open for its whole module, so a transactional test
    (live server, threads with their own connections) cannot share a module with it."""
    by_module: dict = {}
    for item in items:
        by_module.setdefault(item.module, []).append(item)
    for module, module_items in by_module.items():
        shared = [i for i in module_items if "shared_world" in getattr(i, "fixturenames", ())]
        transactional = [
            i
            for i in module_items
            if (marker := i.get_closest_marker("django_db")) and marker.kwargs.get("transaction")
        ]
        if shared and transactional:
            raise pytest.UsageError(
                f"{module.__name__}: transactional tests ({transactional[0].name}) cannot share "
                "a module with the shared `world`; move them, or use `fresh_world`"
            )
