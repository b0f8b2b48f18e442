"""Flow events for the test world: one per access situation, with texts the matrix looks for."""

from __future__ import annotations

import datetime as dt

from alianza.access.services import marking_get_or_create
from alianza.border.services import border_nogales_load, border_segments_load
from alianza.flows.services import flow_event_create

# Around Nogales (km ~687): enough segments for every fixture point, far fewer than 3,224.
FIXTURE_KM = (600.0, 800.0)
NOGALES = (-110.95, 31.34)


def make_flow_event(
    *,
    agency,
    case_reference,
    kind="apprehension",
    releasable_to=(),
    compartments=(),
    when=None,
    lon=NOGALES[0],
    lat=NOGALES[1],
    **extra,
):
    return flow_event_create(
        actor=None,
        agency=agency,
        kind=kind,
        direction=extra.pop("direction", "northbound"),
        occurred_at=when or dt.datetime(2026, 6, 15, 3, 30, tzinfo=dt.UTC),
        lon=lon,
        lat=lat,
        case_reference=case_reference,
        narrative=f"Narrative of {case_reference}",
        marking=marking_get_or_create(
            originating_agency=agency, releasable_to=releasable_to, compartments=compartments
        ),
        **extra,
    )


def make_flow_events(w) -> dict:
    border_segments_load(km_range=FIXTURE_KM)
    border_nogales_load(agency=w.us)
    return {
        "us_internal": make_flow_event(agency=w.us, case_reference="FLOW-US-INTERNAL ZARQUON"),
        "us_shared": make_flow_event(
            agency=w.us, case_reference="FLOW-US-SHARED POODOO", releasable_to=[w.mx]
        ),
        "us_compartment": make_flow_event(
            agency=w.us,
            kind="got_away",
            case_reference="FLOW-US-COMP AGRAJAG",
            releasable_to=[w.mx],
            compartments=[w.compartment],
        ),
        "mx_shared": make_flow_event(
            agency=w.mx,
            kind="turn_back",
            case_reference="FLOW-MX-SHARED FENCHURCH",
            releasable_to=[w.us],
        ),
        "mx_internal": make_flow_event(agency=w.mx, case_reference="FLOW-MX-INTERNAL HOTBLACK"),
    }
