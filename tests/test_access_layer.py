"""The access layer itself: rules, fail-closed querysets, derived markings, and a lint that keeps
the escape hatches out of request-facing code."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alianza.access.exceptions import AccessLayerBypassed
from alianza.access.models import Compartment, CompartmentMembership, Marking
from alianza.access.rules import Reader, forget_reader, reader_for, visible_markings
from alianza.access.services import marking_combine, marking_get_or_create
from alianza.agencies.models import Agency, Officer
from alianza.intel.models import Report

from world import world_today

SRC = Path(__file__).resolve().parent.parent / "src" / "alianza"


@pytest.mark.django_db
class TestFailClosed:
    def test_unfiltered_list_raises(self, world):
        with pytest.raises(AccessLayerBypassed):
            list(Report.objects.all())

    @pytest.mark.parametrize(
        "operation",
        [
            lambda qs: qs.count(),
            lambda qs: qs.exists(),
            lambda qs: list(qs.iterator()),
            lambda qs: qs.aggregate(n=__import__("django.db.models").db.models.Count("id")),
            lambda qs: qs.first(),
            lambda qs: qs.get(pk=1),
            lambda qs: qs.update(title="x"),
            lambda qs: qs.delete(),
            lambda qs: list(qs.values_list("title")),
            lambda qs: bool(qs),
            lambda qs: len(qs),
            lambda qs: qs[0],
            lambda qs: qs.in_bulk([1]),
        ],
    )
    def test_every_way_of_reading_raises(self, world, operation):
        with pytest.raises(AccessLayerBypassed):
            operation(Report.objects.filter(title__startswith="US"))

    def test_related_managers_raise_too(self, world):
        with pytest.raises(AccessLayerBypassed):
            list(world.us.officers.all())

    def test_filtered_queryset_survives_chaining(self, world):
        qs = Report.objects.visible_to(world.user("mx_analyst")).filter(title__startswith="US")
        expected = {world.reports[k].title for k in ("us_shared", "us_orcon")}
        assert {r.title for r in qs.order_by("id")} == expected
        assert qs.count() == 2

    def test_unrestricted_needs_a_reason(self):
        with pytest.raises(ValueError):
            Report.objects.unrestricted(reason=" ")

    def test_officers_are_scoped_to_their_agency(self, world):
        visible = Officer.objects.visible_to(world.user("mx_analyst"))
        assert set(visible.values_list("agency__code", flat=True)) == {"MXFP"}


@pytest.mark.django_db
class TestRules:
    def test_default_marking_is_originator_only(self, world):
        marking = marking_get_or_create(originating_agency=world.us)
        assert list(marking.releasable_to.all()) == [] and not marking.compartments.exists()
        assert marking.summary == "USBP"

    def test_same_label_is_one_row(self, world):
        a = marking_get_or_create(originating_agency=world.us, releasable_to=[world.mx])
        b = marking_get_or_create(originating_agency=world.us, releasable_to=[world.mx, world.us])
        assert a.pk == b.pk

    def test_removing_compartment_membership_hides_at_once(self, world):
        user = world.user("mx_comp")
        title = world.reports["us_compartment"].title
        assert Report.objects.visible_to(user).filter(title=title).exists()
        CompartmentMembership.objects.filter(officer__user=user).delete()
        forget_reader(user)
        assert not Report.objects.visible_to(user).filter(title=title).exists()

    def test_deactivated_officer_sees_nothing(self, world):
        from alianza.agencies.services import officer_set_active

        user = world.user("us_analyst")
        assert Report.objects.visible_to(user).exists()
        officer_set_active(actor=None, officer=user.officer, active=False)
        assert not Report.objects.visible_to(user).exists()

    def test_past_review_leaves_shared_views_but_not_the_owner(self, world):
        expired = world.reports["us_expired"].title
        assert (
            not Report.objects.visible_to(world.user("mx_analyst")).filter(title=expired).exists()
        )
        assert Report.objects.visible_to(world.user("us_nocomp")).filter(title=expired).exists()

    def test_reader_not_cleared_for_shared_keeps_only_own_uncompartmented(self, world):
        base = reader_for(world.user("us_analyst"))
        uncleared = Reader(**{**base.__dict__, "cleared_for_shared": False})
        titles = set(Report.objects.visible_to(uncleared).values_list("title", flat=True))
        assert titles == {
            world.reports[k].title for k in ("us_internal", "us_shared", "us_expired", "us_orcon")
        }

    def test_user_without_officer_sees_nothing(self, world):
        assert not Report.objects.visible_to(world.user("no_officer")).exists()
        assert not Officer.objects.visible_to(world.user("no_officer")).exists()

    def test_combined_marking_is_the_strictest(self, world):
        third = Agency.objects.create(
            code="THIRD", name_en="Third", name_es="Tercera", country="GT"
        )
        review = world_today() + dt.timedelta(days=3 * 365)
        a = marking_get_or_create(originating_agency=world.us, releasable_to=[world.mx, third])
        b = marking_get_or_create(
            originating_agency=world.mx,
            releasable_to=[world.us],
            compartments=[world.compartment],
            originator_control=True,
            review_date=review,
        )
        combined = marking_combine([a, b])
        assert set(combined.releasable_to.values_list("code", flat=True)) == {"USBP", "MXFP"}
        assert list(combined.compartments.all()) == [world.compartment]
        assert combined.originator_control and combined.review_date == review
        # Visible only to those who could see both inputs.
        for key in ("us_analyst", "mx_comp", "us_nocomp", "mx_analyst"):
            reader = reader_for(world.user(key))
            both = all(visible_markings(reader).filter(pk=m.pk).exists() for m in (a, b))
            assert visible_markings(reader).filter(pk=combined.pk).exists() == both, key


# --- property-based: every list equals the rule applied by hand -----------------------------


def _by_hand(reader: Reader, marking: Marking, today: dt.date) -> bool:
    if not reader.may_read_anything:
        return False
    releasable = set(marking.releasable_to.values_list("pk", flat=True))
    compartments = set(marking.compartments.values_list("pk", flat=True))
    own = marking.originating_agency_id == reader.agency_id
    current = marking.review_date is None or marking.review_date >= today
    if not reader.cleared_for_shared:
        return own and not compartments
    return (own or (reader.agency_id in releasable and current)) and compartments <= set(
        reader.compartment_ids
    )


marking_specs = st.lists(
    st.tuples(
        st.sampled_from(["us", "mx"]),  # originator
        st.sets(st.sampled_from(["us", "mx"])),  # releasable to
        st.sets(st.sampled_from([0, 1])),  # compartments
        st.sampled_from([None, -10, 10]),  # review date offset (days)
        st.booleans(),  # ORCON
    ),
    min_size=1,
    max_size=8,
)
reader_specs = st.tuples(
    st.sampled_from(["us", "mx"]), st.sets(st.sampled_from([0, 1])), st.booleans(), st.booleans()
)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(markings=marking_specs, readers=st.lists(reader_specs, min_size=1, max_size=4))
def test_visible_markings_equal_the_rule_applied_by_hand(world, markings, readers):
    from django.utils import timezone

    today = timezone.localdate()
    agencies = {"us": world.us, "mx": world.mx}
    compartments = [
        world.compartment,
        Compartment.objects.get_or_create(code="OP-2", name="Two")[0],
    ]
    created = [
        marking_get_or_create(
            originating_agency=agencies[origin],
            releasable_to=[agencies[a] for a in rel],
            compartments=[compartments[c] for c in comps],
            review_date=None if offset is None else today + dt.timedelta(days=offset),
            originator_control=orcon,
        )
        for origin, rel, comps, offset, orcon in markings
    ]
    for agency_key, held, active, cleared in readers:
        reader = Reader(
            user_id=1,
            officer_id=1,
            agency_id=agencies[agency_key].pk,
            active=active,
            compartment_ids=frozenset(compartments[c].pk for c in held),
            cleared_for_shared=cleared,
        )
        visible = set(visible_markings(reader).values_list("pk", flat=True))
        for marking in created:
            assert (marking.pk in visible) == _by_hand(reader, marking, today), (
                reader,
                marking.summary,
            )


# --- lint: the escape hatches stay out of request-facing code -------------------------------

REQUEST_FACING = ("views.py", "api.py", "forms.py", "selectors.py", "urls.py", "schemas.py")
ESCAPES = re.compile(r"\.unrestricted\(|system_access\(|_base_manager|\._default_manager")


def test_no_access_escape_hatch_in_views_api_forms_or_selectors():
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name in REQUEST_FACING and ESCAPES.search(path.read_text()):
            offenders.append(str(path.relative_to(SRC)))
    assert not offenders, f"request-facing modules bypassing the access layer: {offenders}"


def test_sensitive_models_use_fail_closed_querysets():
    from django.apps import apps

    from alianza.access.querysets import SensitiveQuerySet

    # Models whose rows carry a marking or belong to one agency's people are sensitive.
    for model in apps.get_models():
        fields = {f.name for f in model._meta.get_fields()}
        if model._meta.app_label.startswith(
            ("auth", "contenttypes", "sessions", "admin", "otp", "axes")
        ):
            continue
        if "marking" in fields or model._meta.label in {"agencies.Officer", "audit.AuditEvent"}:
            assert isinstance(model.objects.all(), SensitiveQuerySet), model._meta.label
