"""Every export made in these tests gets a fixed fingerprint key, so a test gives the same
copies, the same traces and the same result on every run (the service draws a fresh secret
key per export in production)."""

from __future__ import annotations

import hashlib
import itertools

import pytest

from alianza.exports import services


def fixed_seeds(name: str):
    """An endless, repeatable sequence of export keys (64 hex characters) named by `name`."""
    for n in itertools.count():
        yield hashlib.sha256(f"alianza test export key {name} {n}".encode()).hexdigest()


@pytest.fixture(autouse=True)
def fixed_export_keys(request, monkeypatch):
    seeds = fixed_seeds(request.node.name)
    monkeypatch.setattr(services, "_new_seed", lambda: next(seeds))
