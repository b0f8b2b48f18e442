"""Scenario files shipped with alianza.sim (TOML, with their assumptions notes)."""
