"""The Nogales corridor task force: two agencies, their units, a few hundred officers each,
and one demo login for every role in each agency."""

from __future__ import annotations

from alianza.access.models import Compartment, CompartmentMembership
from alianza.agencies import roles
from alianza.agencies.models import Agency, Officer, Unit
from alianza.agencies.services import agency_create, officer_create, unit_create

from .. import names
from .base import DEMO_PASSWORD, DemoContext

AGENCIES = [
    dict(
        code="USBP",
        name_en="U.S. Border Patrol",
        name_es="Patrulla Fronteriza de EE. UU.",
        country="US",
    ),
    dict(
        code="MXFP",
        name_en="Mexican Federal Police",
        name_es="Policía Federal de México",
        country="MX",
    ),
]
UNITS = {
    "USBP": [
        ("TUS", "Tucson Sector", "sector", None),
        ("NGL", "Nogales Station", "station", "TUS"),
        ("NGL-W", "Nogales Station, west zone", "zone", "NGL"),
        ("NGL-E", "Nogales Station, east zone", "zone", "NGL"),
    ],
    "MXFP": [
        ("SON", "Contingente Sonora", "contingent", None),
        ("NOG", "Zona Heroica Nogales", "zone", "SON"),
        ("SAS", "Zona Sásabe", "zone", "SON"),
    ],
}
DEMO_USERS = [
    (roles.ANALYST, "analyst"),
    (roles.PATROL_AGENT, "agent"),
    (roles.PATROL_SUPERVISOR, "supervisor"),
    (roles.TRAINING_COORDINATOR, "training"),
    (roles.VETTING_OFFICER, "vetting"),
    (roles.INTEGRITY_OFFICER, "integrity"),
    (roles.AGENCY_ADMIN, "admin"),
]
# Roles that go out on patrol: only these (and the line officers, who have no login) are
# trained for joint patrols and put in the planner's crew pools.
PATROL_ROLES = frozenset({roles.PATROL_AGENT, roles.PATROL_SUPERVISOR})
PREFIX = {"USBP": "us", "MXFP": "mx"}
JOINT_COMPARTMENT = "OP-SONORA-GATE"


def load(ctx: DemoContext) -> None:
    agencies = {}
    for spec in AGENCIES:
        agency = Agency.objects.filter(code=spec["code"]).first()
        agencies[spec["code"]] = agency or agency_create(actor=None, **spec)
    for code, units in UNITS.items():
        for unit_code, name, kind, parent_code in units:
            if not Unit.objects.filter(agency=agencies[code], code=unit_code).exists():
                parent = (
                    Unit.objects.get(agency=agencies[code], code=parent_code)
                    if parent_code
                    else None
                )
                unit_create(
                    actor=None,
                    agency=agencies[code],
                    code=unit_code,
                    name=name,
                    kind=kind,
                    parent=parent,
                )
    compartment, _ = Compartment.objects.get_or_create(
        code=JOINT_COMPARTMENT,
        defaults={
            "name": "Operation Sonora Gate (joint)",
            "description": "Joint USBP–MXFP operation against the Nogales corridor cells.",
        },
    )
    ctx.state["agencies"] = agencies
    ctx.state["compartment"] = compartment
    _officers(ctx, agencies, count=int(300 * ctx.scale))
    _demo_users(ctx, agencies, compartment)


def _officers(ctx: DemoContext, agencies: dict, *, count: int) -> None:
    plan = []
    for code, agency in agencies.items():
        units = list(Unit.objects.filter(agency=agency, kind__in=["zone", "station"]))
        given, family = (
            (names.US_GIVEN, names.US_FAMILY)
            if code == "USBP"
            else (names.MX_GIVEN, names.MX_FAMILY)
        )
        rank_list = names.US_RANKS if code == "USBP" else names.MX_RANKS
        for i in range(count):
            plan.append(
                (
                    agency,
                    units,
                    f"{code[:2]}{10000 + i}",
                    ctx.rng.choice(given),
                    f"{ctx.rng.choice(family)} {ctx.rng.choice(family)}"
                    if code == "MXFP"
                    else ctx.rng.choice(family),
                    ctx.rng.choice(rank_list),
                    ctx.rng.random(),
                )
            )
    plan = _distinct_names(plan, ctx, agencies)
    existing = set(Officer._base_manager.values_list("agency_id", "badge_number"))
    for agency, units, badge, given_name, family_name, rank, draw in ctx.progress(
        plan, description="officers"
    ):
        if (agency.pk, badge) in existing:
            continue
        languages = ["en", "es"] if draw < 0.6 else (["en"] if agency.code == "USBP" else ["es"])
        officer_create(
            actor=None,
            agency=agency,
            unit=units[int(draw * 1000) % len(units)],
            badge_number=badge,
            given_name=given_name,
            family_name=family_name,
            rank=rank,
            languages=languages,
            active=draw > 0.02,
        )


def _distinct_names(plan: list[tuple], ctx: DemoContext, agencies: dict) -> list[tuple]:
    """No two demo people share a name (given and family), in either agency: a drawn name
    already taken (by an officer or a demo login) is drawn again. Deterministic, so a second
    run plans the same names and finds every badge already there."""
    taken = {(given, family) for given, family in names.DEMO_LOGIN_NAMES.values()}
    distinct = []
    for agency, units, badge, given_name, family_name, rank, draw in plan:
        given, family = (
            (names.US_GIVEN, names.US_FAMILY)
            if agency.code == "USBP"
            else (names.MX_GIVEN, names.MX_FAMILY)
        )
        while (given_name, family_name) in taken:
            given_name = ctx.rng.choice(given)
            family_name = (
                f"{ctx.rng.choice(family)} {ctx.rng.choice(family)}"
                if agency.code == "MXFP"
                else ctx.rng.choice(family)
            )
        taken.add((given_name, family_name))
        distinct.append((agency, units, badge, given_name, family_name, rank, draw))
    return distinct


def _demo_users(ctx: DemoContext, agencies: dict, compartment: Compartment) -> None:
    logins = []
    for code, agency in agencies.items():
        unit = Unit.objects.filter(agency=agency, kind__in=["station", "zone"]).first()
        for role, suffix in DEMO_USERS:
            username = f"{PREFIX[code]}.{suffix}"
            officer = Officer._base_manager.filter(user__username=username).first()
            if officer is None:
                given, family = names.DEMO_LOGIN_NAMES[username]
                officer = officer_create(
                    actor=None,
                    agency=agency,
                    unit=unit,
                    badge_number=f"{code[:2]}-DEMO-{suffix.upper()}",
                    given_name=given,
                    family_name=family,
                    username=username,
                    password=DEMO_PASSWORD,
                    roles=[role],
                    languages=["en", "es"],
                )
                if role == roles.AGENCY_ADMIN:
                    officer.user.is_staff = True
                    officer.user.save(update_fields=["is_staff"])
            logins.append(username)
    # The U.S. analyst and supervisors of both agencies work the joint operation; the Mexican
    # analyst does not, so the two analysts see different pictures.
    for username in ["us.analyst", "us.supervisor", "mx.supervisor", "us.integrity"]:
        officer = Officer._base_manager.get(user__username=username)
        CompartmentMembership.objects.get_or_create(compartment=compartment, officer=officer)
    ctx.state["logins"] = logins


def patrol_officers(officers: list[Officer]) -> list[Officer]:
    """The officers who go out on patrol: line officers (no login) and logins whose every role
    is a patrol role. Analysts, integrity, vetting, training and administration accounts are
    never trained for joint patrols nor crewed."""
    from django.contrib.auth.models import Group

    user_ids = [o.user_id for o in officers if o.user_id is not None]
    held: dict[int, set[str]] = {}
    for user_id, name in Group.user_set.through.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "group__name"
    ):
        held.setdefault(user_id, set()).add(name)
    return [
        o
        for o in officers
        if o.user_id is None or (held.get(o.user_id) and held[o.user_id] <= PATROL_ROLES)
    ]
