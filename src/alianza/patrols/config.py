"""Planning parameters: patrol unit types, time slots and the risk method's defaults.

Plain data, documented in docs/patrols.md. Every value a plan used is copied into its
``inputs``, so changing a default here never changes how an existing plan regenerates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# Terrains of border.Segment.Terrain. "unknown" is what a freshly loaded line has.
TERRAINS = ("unknown", "urban", "desert_flat", "mountain", "river", "wetland", "coast")


@dataclass(frozen=True)
class UnitTypeSpec:
    """One kind of patrol unit of one side: a crew in one vehicle on a window of segments."""

    code: str  # e.g. "truck"
    label: str  # vehicle label stem, e.g. "Truck"
    window: int  # contiguous 1 km segments one crew covers in a slot
    crew: int  # officers per crew
    qualifications: tuple[str, ...]  # training qualifications every crew member holds
    effectiveness: dict[str, float]  # chance of interdiction on a covered segment, by terrain
    max_crews: int  # at most this many crews of the type per side in a shift


UNIT_TYPES: dict[str, UnitTypeSpec] = {
    "truck": UnitTypeSpec(
        code="truck",
        label="Truck",
        window=6,
        crew=2,
        qualifications=("joint_patrol",),
        effectiveness={
            "unknown": 0.45,
            "urban": 0.6,
            "desert_flat": 0.6,
            "mountain": 0.2,
            "river": 0.3,
            "wetland": 0.2,
            "coast": 0.4,
        },
        max_crews=6,
    ),
    "atv": UnitTypeSpec(
        code="atv",
        label="ATV",
        window=4,
        crew=2,
        qualifications=("joint_patrol", "atv_operator"),
        effectiveness={
            "unknown": 0.5,
            "urban": 0.2,
            "desert_flat": 0.7,
            "mountain": 0.5,
            "river": 0.4,
            "wetland": 0.3,
            "coast": 0.3,
        },
        max_crews=3,
    ),
}

# Mirrored pairs: a U.S. crew and a Mexican crew of the same type on the same window.
PAIR_SYNERGY = 0.25

# Slot length (hours) inside an 8-hour shift: 4 slots of 2 hours.
SLOT_HOURS = 2

# Risk estimation (see docs/patrols.md).
RISK_DEFAULTS = {
    "lookback_days": 56,  # events older than this are ignored
    "half_life_days": 14.0,  # an event's weight halves every half-life
    "baseline_hours": 8.0,  # detection effort a segment has without any patrol (sensors, towers)
    "prior_strength": 2.0,  # the sector-wide rate counts as this many baseline days of exposure
    "capture_penalty": 0.5,  # a smuggler caught loses this fraction of the value of the crossing
    "solver_time_limit": 60.0,
}


def min_rest_hours() -> float:
    """Minimum rest between two assignments of one officer in different plans (default 8 h)."""
    return float(getattr(settings, "ALIANZA_PATROL_MIN_REST_HOURS", 8))


def side_of(agency) -> str:
    """The side of the line an agency patrols (its country)."""
    return "US" if agency.country.upper() == "US" else "MX"


# Slots per 8-hour shift.
SHIFT_SLOT_COUNT = 8 // SLOT_HOURS
