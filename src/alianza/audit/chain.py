"""Canonical content and hashing of audit entries. Pure functions, shared by writer and verifier."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64

# The order of fields in the canonical form. Changing it invalidates every existing chain.
CANONICAL_FIELDS = (
    "seq",
    "time",
    "actor_id",
    "actor_username",
    "agency_code",
    "action",
    "object_type",
    "object_id",
    "object_agency_code",
    "marking_summary",
    "request_id",
    "client_address",
    "outcome",
    "details",
)


def format_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(values: tuple[Any, ...] | list[Any]) -> bytes:
    """`values` in CANONICAL_FIELDS order; time as a datetime, details as a dict."""
    items = list(values)
    items[1] = format_time(items[1])
    return json.dumps(items, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def entry_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + content).hexdigest()
