"""JSON in and out for security games, with error messages that name the target and field."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .core import Equilibrium, SecurityGame

__all__ = ["GameInputError", "equilibrium_to_json", "game_from_json"]

PAYOFF_FIELDS = ("defender_covered", "defender_uncovered", "attacker_covered", "attacker_uncovered")


class GameInputError(ValueError):
    """Malformed game description; the message names the offending target and field."""


def _number(value: Any, where: str) -> float:
    # bool is an int subclass in Python; true/false in a payoff is a typo, not a number.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GameInputError(f"{where} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise GameInputError(f"{where} must be finite, got {value!r}")
    return float(value)


def game_from_json(data: Any) -> SecurityGame:
    """Build a :class:`SecurityGame` from ``{"resources": m, "targets": [...]}``."""
    if not isinstance(data, dict):
        raise GameInputError("the game must be a JSON object with 'resources' and 'targets'")
    if "resources" not in data:
        raise GameInputError("missing field 'resources'")
    resources = _number(data["resources"], "field 'resources'")
    if resources < 0:
        raise GameInputError(f"field 'resources' must be >= 0, got {data['resources']!r}")
    targets = data.get("targets")
    if not isinstance(targets, list) or not targets:
        raise GameInputError("field 'targets' must be a non-empty list")
    ids: list[str] = []
    seen: set[str] = set()
    columns: dict[str, list[float]] = {name: [] for name in PAYOFF_FIELDS}
    for index, target in enumerate(targets):
        label = f"target #{index}"
        if not isinstance(target, dict):
            raise GameInputError(f"{label} must be an object, got {target!r}")
        if "id" not in target:
            raise GameInputError(f"{label}: missing field 'id'")
        raw_id = target["id"]
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or raw_id == "":
            raise GameInputError(f"{label}: field 'id' must be a non-empty string, got {raw_id!r}")
        target_id = str(raw_id)
        label = f"target {target_id!r}"
        if target_id in seen:
            raise GameInputError(f"{label}: field 'id' is duplicated")
        seen.add(target_id)
        ids.append(target_id)
        values = {}
        for name in PAYOFF_FIELDS:
            if name not in target:
                raise GameInputError(f"{label}: missing field {name!r}")
            values[name] = _number(target[name], f"{label}: field {name!r}")
            columns[name].append(values[name])
        if values["defender_covered"] < values["defender_uncovered"]:
            raise GameInputError(
                f"{label}: field 'defender_covered' ({values['defender_covered']:g}) must be >= "
                f"defender_uncovered ({values['defender_uncovered']:g}); "
                "the defender prefers a covered target"
            )
        if values["attacker_uncovered"] < values["attacker_covered"]:
            raise GameInputError(
                f"{label}: field 'attacker_uncovered' ({values['attacker_uncovered']:g}) must be "
                f">= attacker_covered ({values['attacker_covered']:g}); "
                "the attacker prefers an uncovered target"
            )
    return SecurityGame(
        defender_covered=np.array(columns["defender_covered"]),
        defender_uncovered=np.array(columns["defender_uncovered"]),
        attacker_covered=np.array(columns["attacker_covered"]),
        attacker_uncovered=np.array(columns["attacker_uncovered"]),
        resources=resources,
        ids=tuple(ids),
    )


def equilibrium_to_json(game: SecurityGame, equilibrium: Equilibrium) -> dict[str, Any]:
    ids = game.ids or tuple(str(i) for i in range(game.num_targets))
    return {
        "coverage": {
            target_id: float(c) for target_id, c in zip(ids, equilibrium.coverage, strict=True)
        },
        "defender_utility": equilibrium.defender_utility,
        "attacker_utility": equilibrium.attacker_utility,
        "attacked": ids[equilibrium.attacked],
    }
