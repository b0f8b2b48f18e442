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


# Fixtures that hold a transaction open for their whole module.
MODULE_TRANSACTION_FIXTURES = {"shared_world", "loaded_demo"}
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        from pytest_django.fixtures import validate_django_db

        transaction, reset_sequences, *_rest = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """The shared world (and the module's demo) hold a transaction open for their whole module,
    so a transactional test (live server, threads with their own connections) cannot share a
    module with them."""
    by_module: dict = {}
    for item in items:
        by_module.setdefault(getattr(item, "module", None), []).append(item)
    for module, module_items in by_module.items():
        if module is None:
            continue
        shared = [
            i
            for i in module_items
            if MODULE_TRANSACTION_FIXTURES & set(getattr(i, "fixturenames", ()))
        ]
        transactional = [i for i in module_items if _transactional(i)]
        if shared and transactional:
            raise pytest.UsageError(
                f"{module.__name__}: transactional tests ({transactional[0].name}) cannot share "
                "a module with the shared `world` or demo; move them, or use `fresh_world`"
            )
