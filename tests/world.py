"""A small two-agency world with one user per access situation (fixtures and factories)."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from alianza.access.models import Compartment, CompartmentMembership
from alianza.access.services import marking_get_or_create
from alianza.agencies.models import Agency, Officer, Unit
from alianza.agencies.services import officer_create
from alianza.config.clock import display_today, display_zone
from alianza.intel.services import report_create

PASSWORD = "test-password-123"
# Every date of the world is relative to the (possibly shifted) clock, so the suite passes on any
# day of any year: see ALIANZA_TEST_TODAY in conftest.py.
OPERATION_REACH = dt.timedelta(days=300)  # the joint operation runs this long before and after
ACTIVITY_LEAD = dt.timedelta(days=3)  # the U.S. activity starts this far ahead, at 07:00
PAST_REVIEW = dt.timedelta(days=400)  # the past review of us_expired is this long ago


def world_today() -> dt.date:
    """Today in the display time zone."""
    return display_today()


def activity_start() -> dt.datetime:
    """When the world's U.S. activity starts: in ACTIVITY_LEAD days, at 07:00 local time."""
    day = world_today() + ACTIVITY_LEAD
    return dt.datetime.combine(day, dt.time(7), tzinfo=display_zone()).astimezone(dt.UTC)


def vet_officer(officer, *, examined_on=None, approvers=None):
    """Give `officer` a complete, approved vetting under every programme of their agency.
    A fixture shortcut: the pipeline itself is tested through its services in test_vetting."""
    from django.utils import timezone

    from alianza.vetting.models import CaseApproval, CheckResult, VettingCase, VettingProgramme

    examined_on = examined_on or timezone.localdate() - dt.timedelta(days=30)
    approvers = approvers or _approvers(officer.agency)
    for programme in VettingProgramme.objects.filter(subject_agency=officer.agency):
        case = VettingCase.objects.create(
            officer=officer, programme=programme, opened_at=timezone.now()
        )
        for check in programme.check_types.all():
            CheckResult.objects.create(
                case=case,
                check_type=check,
                result="pass",
                examiner="Examiner",
                examined_on=examined_on,
                notes=f"RESTRICTED-NOTE-{officer.agency.code}",
                expires_on=examined_on + dt.timedelta(days=programme.validity_days),
                recorded_at=timezone.now(),
            )
        for approver in approvers:
            CaseApproval.objects.create(case=case, approver=approver, approved_at=timezone.now())


def _approvers(agency):
    return [
        Officer.objects.unrestricted(reason="fixture").get_or_create(
            agency=agency,
            badge_number=f"APPROVER-{n}",
            defaults={"given_name": "Approver", "family_name": str(n)},
        )[0]
        for n in (1, 2)
    ]


def make_user(*, agency, username, roles=(), compartments=(), active=True, unit=None):
    """A user with an officer record (through the real service, as the system)."""
    officer = officer_create(
        actor=None,
        agency=agency,
        unit=unit,
        badge_number=f"B-{username}",
        given_name=username.split(".")[-1].title(),
        family_name="Tester",
        username=username,
        password=PASSWORD,
        roles=list(roles),
        active=active,
    )
    for compartment in compartments:
        CompartmentMembership.objects.create(compartment=compartment, officer=officer)
    return officer.user


def make_report(
    *,
    agency,
    title,
    releasable_to=(),
    compartments=(),
    review_date=None,
    originator_control=False,
    handling="internal_only",
):
    marking = marking_get_or_create(
        originating_agency=agency,
        releasable_to=releasable_to,
        compartments=compartments,
        review_date=review_date,
        originator_control=originator_control,
    )
    return report_create(
        actor=None,
        agency=agency,
        title=title,
        body=f"Body of {title}",
        language="en",
        basis_for_entry="Test basis.",
        marking=marking,
        handling=handling,
    )


@dataclass
class World:
    us: Agency
    mx: Agency
    compartment: Compartment
    users: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    tearlines: dict = field(default_factory=dict)
    activities: dict = field(default_factory=dict)
    operation: object = None
    membership_change: object = None
    alert: object = None
    entities: dict = field(default_factory=dict)
    relations: dict = field(default_factory=dict)
    reshares: dict = field(default_factory=dict)
    third: Agency | None = None
    rfis: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    enrolments: dict = field(default_factory=dict)
    allegations: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)
    officers: dict = field(default_factory=dict)
    flow_events: dict = field(default_factory=dict)

    def user(self, key):
        return self.users[key]


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> World:
    """The world, built once per test module inside a transaction that is rolled back when the
    module ends; every test runs in a savepoint inside it (Django's setUpTestData, for pytest).
    A module that mixes this with transactional tests is refused at collection (conftest)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(shared_world, db) -> World:
    """The module's world, as a fresh copy for each test: what a test changes in the database is
    rolled back with its savepoint, and what it changes in memory dies with its copy."""
    return copy.deepcopy(shared_world)


@pytest.fixture
def fresh_world(db) -> World:
    """A world built for this test alone: for tests whose clock or settings must be in place
    before the world exists (the world is then built under them)."""
    return build_world()


def build_world() -> World:
    us = Agency.objects.create(
        code="USBP", name_en="U.S. Border Patrol", name_es="Patrulla Fronteriza", country="US"
    )
    mx = Agency.objects.create(
        code="MXFP", name_en="Mexican Federal Police", name_es="Policía Federal", country="MX"
    )
    us_unit = Unit.objects.create(agency=us, code="NGL", name="Nogales Station", kind="station")
    Unit.objects.create(agency=mx, code="NOG", name="Zona Nogales", kind="zone")
    compartment = Compartment.objects.create(code="OP-TEST", name="Operation Test")
    from alianza.vetting.services import vetting_programmes_load

    vetting_programmes_load()
    w = World(us=us, mx=mx, compartment=compartment)
    w.users = {
        "us_analyst": make_user(
            agency=us,
            username="us.analyst",
            roles=["analyst"],
            compartments=[compartment],
            unit=us_unit,
        ),
        "us_nocomp": make_user(agency=us, username="us.nocomp", roles=["analyst"]),
        "us_inactive": make_user(
            agency=us,
            username="us.inactive",
            roles=["analyst"],
            compartments=[compartment],
            active=False,
        ),
        "us_integrity": make_user(agency=us, username="us.integrity", roles=["integrity_officer"]),
        "us_admin": make_user(agency=us, username="us.admin", roles=["agency_admin"]),
        "mx_analyst": make_user(agency=mx, username="mx.analyst", roles=["analyst"]),
        "mx_comp": make_user(
            agency=mx, username="mx.comp", roles=["analyst"], compartments=[compartment]
        ),
        "mx_admin": make_user(agency=mx, username="mx.admin", roles=["agency_admin"]),
        "mx_integrity": make_user(agency=mx, username="mx.integrity", roles=["integrity_officer"]),
        "us_vetting": make_user(agency=us, username="us.vetting", roles=["vetting_officer"]),
        "mx_vetting": make_user(agency=mx, username="mx.vetting", roles=["vetting_officer"]),
        "us_training": make_user(agency=us, username="us.training", roles=["training_coordinator"]),
        "mx_training": make_user(agency=mx, username="mx.training", roles=["training_coordinator"]),
        "us_supervisor": make_user(
            agency=us, username="us.supervisor", roles=["patrol_supervisor"]
        ),
        "mx_supervisor": make_user(
            agency=mx, username="mx.supervisor", roles=["patrol_supervisor"]
        ),
    }
    for user in w.users.values():
        vet_officer(user.officer)
    # Never vetted: keeps only its own agency's uncompartmented records.
    w.users["mx_unvetted"] = make_user(
        agency=mx, username="mx.unvetted", roles=["analyst"], compartments=[compartment]
    )
    from django.contrib.auth import get_user_model

    w.users["no_officer"] = get_user_model().objects.create_user(
        username="no.officer", password=PASSWORD
    )
    w.reports = {
        "us_internal": make_report(agency=us, title="US internal only XYZZY"),
        "us_shared": make_report(agency=us, title="US shared with MX PLUGH", releasable_to=[mx]),
        "us_compartment": make_report(
            agency=us,
            title="US compartment FROBOZZ",
            releasable_to=[mx],
            compartments=[compartment],
        ),
        "us_expired": make_report(
            agency=us,
            title="US past review GRUE",
            releasable_to=[mx],
            review_date=world_today() - PAST_REVIEW,
        ),
        "mx_shared": make_report(agency=mx, title="MX compartido con US QUUX", releasable_to=[us]),
        "mx_internal": make_report(agency=mx, title="MX interno SPLUGH"),
        "us_orcon": make_report(
            agency=us,
            title="US ORCON SLARTIBARTFAST",
            releasable_to=[mx],
            originator_control=True,
            handling="originator_approval",
        ),
    }
    from alianza.intel.services import rfi_create, tearline_create

    w.tearlines = {
        "us_internal": tearline_create(
            actor=None,
            report=w.reports["us_internal"],
            title="US tearline MAGRATHEA",
            body="Sanitised.",
            marking=marking_get_or_create(originating_agency=us, releasable_to=[mx]),
        ),
    }
    w.officers = {
        "us": Officer.objects.unrestricted(reason="test").get(user__username="us.nocomp"),
        "mx": Officer.objects.unrestricted(reason="test").get(user__username="mx.analyst"),
    }
    from django.utils import timezone

    from alianza.vetting.models import IntegrityAllegation, VettingCase

    w.cases = {
        "us": VettingCase.objects.unrestricted(reason="test")
        .filter(officer=w.officers["us"])
        .first(),
    }
    from alianza.training.models import Course
    from alianza.training.services import (
        enrolment_create,
        training_catalogue_load,
        training_session_create,
    )

    training_catalogue_load()
    soon = world_today() + dt.timedelta(days=10)
    w.sessions = {
        "hr": training_session_create(
            actor=None,
            course=Course.objects.get(code="HR-100"),
            starts_on=soon,
            ends_on=soon,
            place="Nogales",
            language="en-es",
            capacity=10,
        )
    }
    w.enrolments = {
        key: enrolment_create(actor=None, session=w.sessions["hr"], officer=w.officers[key])
        for key in ("us", "mx")
    }
    w.rfis = {
        "mx_to_us": rfi_create(
            actor=w.users["mx_analyst"],
            requested_agency=us,
            question="MX asks HEARTOFGOLD",
            priority="priority",
            due_date=world_today() + dt.timedelta(days=7),
        ),
        "us_to_mx_comp": rfi_create(
            actor=w.users["us_analyst"],
            requested_agency=mx,
            question="US asks in compartment BABELFISH",
            priority="routine",
            compartment=compartment,
            due_date=world_today() + dt.timedelta(days=7),
        ),
    }
    from alianza.intel.services import report_reshare

    w.third = Agency.objects.create(
        code="GTPN",
        name_en="Guatemala National Civil Police",
        name_es="Policía Nacional Civil de Guatemala",
        country="GT",
    )
    w.reshares = {
        "orcon": report_reshare(
            actor=w.users["mx_analyst"],
            report=w.reports["us_orcon"],
            add_agencies=[w.third],
            justification="DEEPTHOUGHT needs it",
        ),
    }
    from alianza.intel.graph import entity_mention, entity_relate

    org = entity_mention(
        actor=None,
        report=w.reports["us_internal"],
        kind="organisation",
        raw="Los Halcones ZAPHODORG",
    ).entity
    phone = entity_mention(
        actor=None, report=w.reports["us_shared"], kind="phone", raw="+52 631 123 4567"
    ).entity
    van = entity_mention(
        actor=None,
        report=w.reports["mx_shared"],
        kind="vehicle",
        raw="1M8GDM9AXKP042788",
        label="Van TRILLIAN",
    ).entity
    w.entities = {"org": org, "phone": phone, "van": van}
    w.relations = {
        "org_phone": entity_relate(
            actor=None,
            report=w.reports["us_internal"],
            source=org,
            target=phone,
            kind="controls VOGON",
        ),
        "phone_van": entity_relate(
            actor=None, report=w.reports["mx_shared"], source=phone, target=van, kind="used with"
        ),
    }
    from alianza.operations.services import activity_register, operation_create

    w.operation = operation_create(
        actor=w.users["us_supervisor"],
        code="OP-JOINT",
        name="Joint op ARTHURDENT",
        starts_on=world_today() - OPERATION_REACH,
        ends_on=world_today() + OPERATION_REACH,
        lead_agencies=[us, mx],
    )
    start = activity_start()
    us_activity, _ = activity_register(
        actor=w.users["us_supervisor"],
        kind="surveillance",
        longitude=-110.95,
        latitude=31.335,
        radius_m=800,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        contact_phone="+1 520 555 0100",
        description="US target KRIKKIT stash house",
    )
    mx_activity, alerts = activity_register(
        actor=w.users["mx_supervisor"],
        kind="arrest",
        longitude=-110.945,
        latitude=31.333,
        radius_m=500,
        starts_at=start + dt.timedelta(hours=4),
        ends_at=start + dt.timedelta(hours=9),
        contact_phone="+52 631 555 0101",
        description="MX orden de aprehensión MAGRATHEAN",
    )
    w.activities = {"us": us_activity, "mx": mx_activity}
    from alianza.operations.services import membership_change_request

    w.membership_change = membership_change_request(
        actor=w.users["us_supervisor"],
        operation=w.operation,
        officer=w.officers["us"],
        action="add",
    )
    w.alert = alerts[0]
    w.allegations = {
        "us": IntegrityAllegation.objects.create(
            officer=Officer.objects.unrestricted(reason="test").get(
                badge_number="APPROVER-1", agency=us
            ),
            filed_at=timezone.now() - dt.timedelta(days=37),
            summary="US allegation ZAPHOD",
        ),
    }
    from world_flows import make_flow_events

    w.flow_events = make_flow_events(w)
    return w


def login_verified(client, user):
    """Log in as `user` with a confirmed TOTP device verified for the session when their role
    requires two-factor authentication (the 2FA flow itself is tested in test_accounts)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alianza.accounts.twofactor import two_factor_required

    client.force_login(user)
    if two_factor_required(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture(autouse=True, scope="session")
def flush_past_audit_triggers():
    """Transactional tests end with Django's `flush`, which the append-only triggers refuse on
    SQLite (DELETE FROM). Only the test harness lifts them, for that flush alone."""
    from django.core.management.commands import flush

    from alianza.audit.triggers import triggers_suspended

    original = flush.Command.handle

    def handle(self, **options):
        from django.db import connections

        conn = connections[options.get("database", "default")]
        with triggers_suspended(conn):
            return original(self, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


def role_group(name):
    return Group.objects.get(name=name)
