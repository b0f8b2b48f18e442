"""Fixtures for the Django suites. The pure libraries' tests (games, sim, border geometry) also
run without Django (`pytest -p no:django tests/games`), so the import is conditional."""

from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

try:
    from world import *  # noqa: F403
    from world import PASSWORD, login_verified, make_report, make_user  # noqa: F401
except (AppRegistryNotReady, ImproperlyConfigured):  # running without pytest-django
    pass
