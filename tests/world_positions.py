"""Positions for the test world: three tracked units in the joint operation OP-JOINT, one of
them not shared with the other agency, each with a recent fix near Nogales."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alianza.access.models import CompartmentMembership
from alianza.access.rules import forget_reader

# Either side of the line at Nogales (the line runs at about 31.3325°N there).
US_POINT = (-110.95, 31.345)
MX_POINT = (-110.95, 31.320)
SHARED, PRIVATE, MX_UNIT = "US-KESTREL", "US-OSPREY", "MX-HALCON"


def register_units(w) -> dict:
    from alianza.positions.services import tracked_unit_register

    return {
        SHARED: tracked_unit_register(
            actor=None, agency=w.us, code=SHARED, kind="vehicle", label="Truck KESTREL"
        ),
        PRIVATE: tracked_unit_register(
            actor=None, agency=w.us, code=PRIVATE, kind="vehicle", label="ATV", shared=False
        ),
        MX_UNIT: tracked_unit_register(
            actor=None, agency=w.mx, code=MX_UNIT, kind="officer", label="A pie"
        ),
    }


def report(unit, when, point=US_POINT, **extra) -> dict:
    return {
        "unit": unit,
        "time": when,
        "lon": point[0],
        "lat": point[1],
        "operation": "OP-JOINT",
        **extra,
    }


def matrix_positions(w):
    """Made once per world: mx.supervisor joins OP-JOINT, each unit reports one fix."""
    made = getattr(w, "_positions", None)
    if made is not None:
        return made
    from alianza.positions.services import positions_ingest

    us_sup, mx_sup = w.user("us_supervisor"), w.user("mx_supervisor")
    CompartmentMembership.objects.get_or_create(
        compartment=w.operation.compartment, officer=mx_sup.officer
    )
    forget_reader(mx_sup)
    units = register_units(w)
    when = timezone.now() - dt.timedelta(minutes=5)
    positions_ingest(actor=us_sup, reports=[report(SHARED, when), report(PRIVATE, when)])
    positions_ingest(actor=mx_sup, reports=[report(MX_UNIT, when, MX_POINT)])
    w._positions = units
    return units


def matrix_live_map_url(w) -> str:
    from django.urls import reverse

    matrix_positions(w)
    return reverse("positions:live_map") + f"?operation={w.operation.pk}"
