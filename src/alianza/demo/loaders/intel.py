"""A first set of intelligence reports with a mix of markings (issue 4 adds the full corpus)."""

from __future__ import annotations

import datetime as dt

from alianza.access.services import marking_get_or_create
from alianza.intel.models import Report
from alianza.intel.services import report_create

from .base import DemoContext

ORGANISATIONS = [
    "Los Halcones del Desierto",
    "Cártel de la Sierra Alta",
    "Red Tumacácori",
    "Célula Mariposa",
    "Los Hermanos Peñasco",
]
PLACES = [
    "Mariposa Road",
    "the Ruby Road",
    "Peck Canyon",
    "the Coronado National Forest",
    "Sásabe",
    "Nogales, Sonora",
    "the DeConcini port",
    "Kino Springs",
    "Lochiel",
    "Arivaca",
    "Pajarito Mountains",
    "Río Santa Cruz",
]
TOPICS_EN = [
    "Backpacker group staging near {place} for {org}",
    "{org} scouts on hilltops above {place}",
    "Vehicle drop-offs on {place} linked to {org}",
    "Southbound firearms purchases routed through {place}",
    "Bulk cash couriers for {org} using {place}",
    "Tunnel rumours near {place}",
]
TOPICS_ES = [
    "Grupo de mochileros de {org} en espera cerca de {place}",
    "Halcones de {org} en cerros sobre {place}",
    "Entregas de vehículos en {place} vinculadas a {org}",
    "Compra de armas rumbo al sur por {place}",
    "Correos de efectivo de {org} usando {place}",
]


def load(ctx: DemoContext) -> None:
    if Report.objects.unrestricted(reason="demo idempotence check").exists():
        return
    agencies = ctx.state["agencies"]
    compartment = ctx.state["compartment"]
    us, mx = agencies["USBP"], agencies["MXFP"]
    today = dt.date(2026, 11, 28)
    count = max(10, int(60 * ctx.scale))
    for i in ctx.progress(range(count), description="reports"):
        agency, partner = (us, mx) if i % 2 == 0 else (mx, us)
        kind = ctx.rng.random()
        if kind < 0.45:
            marking = marking_get_or_create(originating_agency=agency, releasable_to=[partner])
        elif kind < 0.65:
            marking = marking_get_or_create(originating_agency=agency)
        elif kind < 0.85:
            marking = marking_get_or_create(
                originating_agency=agency, releasable_to=[partner], compartments=[compartment]
            )
        else:
            marking = marking_get_or_create(
                originating_agency=agency,
                releasable_to=[partner],
                originator_control=True,
                review_date=today + dt.timedelta(days=ctx.rng.randint(-30, 180)),
            )
        spanish = agency.code == "MXFP"
        topic = ctx.rng.choice(TOPICS_ES if spanish else TOPICS_EN)
        org, place = ctx.rng.choice(ORGANISATIONS), ctx.rng.choice(PLACES)
        report_create(
            actor=None,
            agency=agency,
            title=topic.format(org=org, place=place),
            body=(
                f"Fuente informa actividad de {org} en {place}."
                if spanish
                else f"Source reports {org} activity around {place}."
            ),
            language="es" if spanish else "en",
            basis_for_entry=(
                "Observación directa de patrullaje y fuente confidencial."
                if spanish
                else "Patrol observation corroborated by a confidential source."
            ),
            marking=marking,
            handling=ctx.rng.choice([c for c, _ in Report.Handling.choices]),
            source_reliability=ctx.rng.choice("ABCDEF"),
            information_credibility=ctx.rng.choice("123456"),
        )
