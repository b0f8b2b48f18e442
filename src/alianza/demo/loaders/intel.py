"""A first set of intelligence reports with a mix of markings (issue 4 adds the full corpus),
and requests for information both ways: answered, open and overdue, all relative to `ctx.now`.

Each text is written in one language: a place has an English and a Spanish form ("the Ruby
Road" / "el camino Ruby"), and a Spanish text only ever takes the Spanish one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alianza.access.services import marking_get_or_create
from alianza.intel.graph import entity_mention, entity_relate
from alianza.intel.models import Report, RequestForInformation
from alianza.intel.services import report_create, rfi_answer, rfi_create, tearline_create

from .base import DemoContext

ORGANISATIONS = [
    "Los Halcones del Desierto",
    "Cártel de la Sierra Alta",
    "Red Tumacácori",
    "Célula Mariposa",
    "Los Hermanos Peñasco",
]
# (English, Spanish) forms of each place.
PLACES = [
    ("Mariposa Road", "la carretera Mariposa"),
    ("the Ruby Road", "el camino Ruby"),
    ("Peck Canyon", "el cañón Peck"),
    ("the Coronado National Forest", "el Bosque Nacional Coronado"),
    ("Sásabe", "Sásabe"),
    ("Nogales, Sonora", "Nogales, Sonora"),
    ("the DeConcini port", "la garita DeConcini"),
    ("Kino Springs", "Kino Springs"),
    ("Lochiel", "Lochiel"),
    ("Arivaca", "Arivaca"),
    ("the Pajarito Mountains", "la sierra de Pajarito"),
    ("the Santa Cruz River", "el río Santa Cruz"),
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


def _spanish(text: str) -> str:
    """Spanish contractions after a place's article is put in: "de el" → "del", "a el" → "al"."""
    return text.replace(" de el ", " del ").replace(" a el ", " al ")


def _place(forms: tuple[str, str], spanish: bool) -> str:
    return forms[1] if spanish else forms[0]


def load(ctx: DemoContext) -> None:
    if Report.objects.unrestricted(reason="demo idempotence check").exists():
        return
    agencies = ctx.state["agencies"]
    compartment = ctx.state["compartment"]
    us, mx = agencies["USBP"], agencies["MXFP"]
    today = ctx.today
    count = max(10, int(300 * ctx.scale))
    created = []
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
        # "Internal only" would contradict a marking releasable to the partner.
        shared = marking.releasable_to.exists()
        handlings = [
            c for c in Report.Handling.values if not (shared and c == Report.Handling.INTERNAL_ONLY)
        ]
        topic = ctx.rng.choice(TOPICS_ES if spanish else TOPICS_EN)
        org, forms = ctx.rng.choice(ORGANISATIONS), ctx.rng.choice(PLACES)
        place = _place(forms, spanish)
        report = report_create(
            actor=None,
            agency=agency,
            title=_spanish(topic.format(org=org, place=place))
            if spanish
            else topic.format(org=org, place=place),
            body=(
                _spanish(f"Fuente informa actividad de {org} en {place}.")
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
            handling=ctx.rng.choice(handlings),
            source_reliability=ctx.rng.choice("ABCDEF"),
            information_credibility=ctx.rng.choice("123456"),
        )
        created.append((report, org, place))
    _tearlines_entities(ctx, created, us, mx)
    _rfis(ctx, us, mx, compartment)


PHONES = [
    "+52 631 312 4455",
    "+52 631 118 2290",
    "+1 520 555 0142",
    "+52 637 372 1100",
    "+52 633 338 7781",
]
VEHICLES = [("VKP1234", "SON"), ("AZ4471", "AZ"), ("VJR9081", "SON"), ("CKD2231", "AZ")]


def _tearlines_entities(ctx, created, us, mx) -> None:
    orgs, phones, vehicles = {}, {}, {}
    for report, org, place in ctx.progress(created, description="tearlines and links"):
        marking = report.marking
        partner = mx if report.agency_id == us.pk else us
        internal = not marking.releasable_to.exists() and not marking.compartments.exists()
        if internal and ctx.rng.random() < 0.35:
            tearline_create(
                actor=None,
                report=report,
                title=("Resumen: " if report.language == "es" else "Summary: ") + report.title,
                body=(
                    _spanish("Actividad de una organización delictiva en la zona de " + place)
                    if report.language == "es"
                    else "Criminal organisation activity in the area of " + place
                )
                + ".",
                marking=marking_get_or_create(
                    originating_agency=report.agency, releasable_to=[partner]
                ),
            )
        org_entity = entity_mention(
            actor=None, report=report, kind="organisation", raw=org, role="subject"
        ).entity
        orgs[org] = org_entity
        if ctx.rng.random() < 0.4:
            raw = ctx.rng.choice(PHONES)
            phone = entity_mention(
                actor=None, report=report, kind="phone", raw=raw, role="used by"
            ).entity
            phones[raw] = phone
            entity_relate(
                actor=None, report=report, source=org_entity, target=phone, kind="uses phone"
            )
        if ctx.rng.random() < 0.25:
            number, state = ctx.rng.choice(VEHICLES)
            vehicle = entity_mention(
                actor=None,
                report=report,
                kind="vehicle",
                raw=number,
                state=state,
                label=f"{state} {number}",
            ).entity
            vehicles[number] = vehicle
            entity_relate(
                actor=None, report=report, source=org_entity, target=vehicle, kind="uses vehicle"
            )


# How the nine requests of each side stand: most answered, some open and due soon, some open
# and past their due date (flagged overdue).
RFI_STATES = ["answered"] * 5 + ["open"] * 2 + ["overdue"] * 2


def _rfis(ctx, us, mx, compartment) -> None:
    """Requests for information both ways, some answered, some open, some overdue."""
    analysts = {us.pk: _user("us.analyst"), mx.pk: _user("mx.analyst")}
    questions = {
        us.pk: [
            "¿Quién opera el punto de vigilancia sobre la carretera Mariposa?",
            "Identify the owner of the vehicle seen at Kino Springs.",
            "Any reporting on tunnel construction near the DeConcini port?",
        ],
        mx.pk: [
            "¿Se observó actividad de mochileros en el cañón Peck esta semana?",
            "Confirm the phone used by Célula Mariposa.",
            "¿Hay compras de armas recientes vinculadas a Los Hermanos Peñasco?",
        ],
    }
    back_dating = RequestForInformation.objects.unrestricted(reason="demo back-dating")
    for asker, answerer in ((mx, us), (us, mx)):
        states = list(RFI_STATES)
        ctx.rng.shuffle(states)
        for index, (question, state) in enumerate(
            zip(questions[asker.pk] * 3, states, strict=True)
        ):
            rfi = rfi_create(
                actor=analysts[asker.pk],
                requested_agency=answerer,
                question=question,
                priority=ctx.rng.choice(["routine", "priority", "immediate"]),
                due_date=ctx.today + dt.timedelta(days=14),
                compartment=compartment if index == 0 and asker == us else None,
            )
            if state == "open":  # asked in the last days, due in the coming ones
                created_at = ctx.now - dt.timedelta(hours=ctx.rng.randint(2, 5 * 24))
                due_date = ctx.today + dt.timedelta(days=ctx.rng.randint(1, 14))
            else:  # asked weeks ago with a week to answer: answered, or now overdue
                created_at = ctx.now - dt.timedelta(days=ctx.rng.randint(10, 60))
                due_date = timezone.localdate(created_at, ctx.zone) + dt.timedelta(days=7)
            back_dating.filter(pk=rfi.pk).update(created_at=created_at, due_date=due_date)
            rfi.refresh_from_db()
            if state != "answered":
                continue
            rfi_answer(
                actor=analysts[answerer.pk],
                rfi=rfi,
                answer_text="Ver informe adjunto."
                if answerer == mx
                else "See our reporting on this; details follow by phone.",
            )
            answered_at = created_at + dt.timedelta(hours=ctx.rng.randint(4, 240))
            back_dating.filter(pk=rfi.pk).update(
                answered_at=min(answered_at, ctx.now - dt.timedelta(hours=1))
            )


def _user(username):
    from alianza.agencies.models import Officer

    return (
        Officer.objects.unrestricted(reason="demo")
        .select_related("user")
        .get(user__username=username)
        .user
    )
