"""What every route must answer to each kind of user. The meta-test keeps this complete.

Scenarios (the issue's five): anonymous, a user of the other agency, a user lacking the
compartment, an inactive officer, and the permitted user. Each maps to (user key, expectation):
- ("ok", shows, hides): 2xx; the body contains every text in `shows` and none in `hides`;
- "404": the same answer as a missing record; "login": redirect to the login page;
- "401": the API's JSON authentication error.
Texts are callables of the World so that they name the records the fixture made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from world_patrols import matrix_assignment, matrix_plan
from world_positions import MX_UNIT, PRIVATE, SHARED, matrix_live_map_url, matrix_positions


def titles(*keys: str) -> Callable:
    return lambda w: [w.reports[k].title for k in keys]


def flows(*keys: str) -> Callable:
    return lambda w: [w.flow_events[k].case_reference for k in keys]


NONE = lambda w: []  # noqa: E731


def in_years(years: int) -> str:
    """A date `years` from today (display time zone), as a form or the API writes it."""
    from world import world_today

    return (world_today() + dt.timedelta(days=365 * years)).isoformat()

# The flow analytics default to the last 365 days; the fixture's events are in June 2026.
FLOW_WINDOW = "since=2026-01-01&until=2026-11-27"

ALL_US_HIDDEN_FROM_MX = titles("us_internal", "us_compartment", "us_expired")


@dataclass
class Route:
    url: Callable
    method: str = "get"
    payload: Callable | None = None
    scenarios: dict = field(default_factory=dict)


def page(
    url,
    *,
    permitted,
    other_agency,
    no_compartment,
    inactive,
    method="get",
    payload=None,
    anonymous="login",
):
    return Route(
        url=url,
        method=method,
        payload=payload,
        scenarios={
            "anonymous": (None, anonymous),
            "permitted": permitted,
            "other_agency": other_agency,
            "no_compartment": no_compartment,
            "inactive": inactive,
        },
    )


def ok(user, shows=NONE, hides=NONE):
    return (user, ("ok", shows, hides))


def nf(user):
    return (user, "404")


def flow_got_away_pair(w):
    """A second report of the compartmented got-away (made on first use), to link with it."""
    from world_flows import make_flow_event

    if "us_compartment_pair" not in w.flow_events:
        w.flow_events["us_compartment_pair"] = make_flow_event(
            agency=w.us,
            kind="got_away",
            case_reference="FLOW-US-COMP PAIR",
            releasable_to=[w.mx],
            compartments=[w.compartment],
        )
    return w.flow_events["us_compartment_pair"]


def notification_of_us_analyst(w):
    """A notification addressed to us.analyst (made on first use, idempotent)."""
    from alianza.notifications.models import Notification
    from alianza.notifications.services import notification_create

    key = "matrix:us_analyst"
    notification_create(
        user_id=w.user("us_analyst").pk,
        kind="vetting_expiring",
        params={"date": "2099-12-31", "days": 7},
        due_on=None,
        dedupe_key=key,
    )
    return Notification.objects.unrestricted(reason="test fixture").get(dedupe_key=key)


NOTIFICATION_TEXT = lambda w: ["2099-12-31"]  # noqa: E731


def matrix_series(w):
    """A published series (public figures, made on first use; re-import is idempotent)."""
    from alianza.series.services import series_import

    data = (
        "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,"
        "Count of Event,Sum Qty (lbs)\n"
        "2026,JUN,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Marijuana,4,321\n"
    )
    result = series_import(actor=None, data=data.encode(), source_file="matrix-cbp.csv")
    return result.series[-1]


SERIES_TEXT = lambda w: ["matrix-cbp.csv"]  # noqa: E731


def entity_in_compartment(w):
    """A person named only by the compartmented U.S. report (made on first use, idempotent)."""
    from alianza.intel.graph import entity_mention

    return entity_mention(
        actor=None, report=w.reports["us_compartment"], kind="person", raw="Ford PREFECTENT"
    ).entity


COMPARTMENT_ENTITY = lambda w: ["PREFECTENT"]  # noqa: E731


PAGES: dict[str, Route] = {
    "home": page(
        lambda w: reverse("home"),
        permitted=ok("us_analyst", titles("us_compartment")),
        other_agency=ok("mx_analyst", titles("us_shared"), ALL_US_HIDDEN_FROM_MX),
        no_compartment=ok("us_nocomp", titles("us_internal"), titles("us_compartment")),
        inactive=ok("us_inactive", NONE, titles("us_internal", "us_shared", "us_compartment")),
    ),
    "intel:report_list": page(
        lambda w: reverse("intel:report_list"),
        permitted=ok(
            "us_analyst",
            titles("us_internal", "us_shared", "us_compartment", "us_expired", "mx_shared"),
            titles("mx_internal"),
        ),
        other_agency=ok("mx_analyst", titles("us_shared", "mx_internal"), ALL_US_HIDDEN_FROM_MX),
        no_compartment=ok("us_nocomp", titles("us_internal"), titles("us_compartment")),
        inactive=nf("us_inactive"),
    ),
    "intel:report_detail": page(
        lambda w: reverse("intel:report_detail", args=[w.reports["us_compartment"].pk]),
        permitted=ok("us_analyst", titles("us_compartment")),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "intel:report_create": page(
        lambda w: reverse("intel:report_create"),
        permitted=ok("us_analyst", lambda w: ["OP-TEST"]),
        other_agency=ok("mx_analyst", NONE, lambda w: ["OP-TEST"]),
        no_compartment=ok("us_nocomp", NONE, lambda w: ["OP-TEST"]),
        inactive=nf("us_inactive"),
    ),
    "intel:tearline_detail": page(
        lambda w: reverse("intel:tearline_detail", args=[w.tearlines["us_internal"].pk]),
        permitted=ok("us_analyst", lambda w: ["MAGRATHEA"]),
        # The partner sees the tearline and nothing that tells it the full report exists.
        other_agency=ok(
            "mx_analyst",
            lambda w: ["MAGRATHEA"],
            lambda w: ["XYZZY", f"/intel/reports/{w.reports['us_internal'].pk}/"],
        ),
        no_compartment=ok("us_nocomp", lambda w: ["MAGRATHEA"]),
        inactive=nf("us_inactive"),
    ),
    "intel:tearline_create": page(
        lambda w: reverse("intel:tearline_create", args=[w.reports["us_internal"].pk]),
        permitted=ok("us_analyst", lambda w: ["XYZZY"]),
        other_agency=nf("mx_analyst"),
        no_compartment=ok("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "intel:report_reshare": page(
        lambda w: reverse("intel:report_reshare", args=[w.reports["us_compartment"].pk]),
        method="post",
        payload=lambda w: {"agency": [w.third.pk]},
        permitted=("us_analyst", "redirect"),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "intel:report_revalidate": page(
        lambda w: reverse("intel:report_revalidate", args=[w.reports["us_expired"].pk]),
        method="post",
        payload=lambda w: {"review_date": in_years(3)},
        permitted=("us_analyst", "redirect"),
        other_agency=nf("mx_analyst"),
        no_compartment=("us_nocomp", "redirect"),
        inactive=nf("us_inactive"),
    ),
    "intel:report_translate": page(
        lambda w: reverse("intel:report_translate", args=[w.reports["us_compartment"].pk]),
        method="post",
        payload=lambda w: {"translated_body": "Traducción.", "translation_status": "draft"},
        permitted=("us_analyst", "redirect"),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "intel:reshare_list": page(
        lambda w: reverse("intel:reshare_list"),
        permitted=ok("us_analyst", lambda w: ["DEEPTHOUGHT"]),
        other_agency=ok("mx_analyst", lambda w: ["DEEPTHOUGHT"]),
        no_compartment=ok("us_nocomp", lambda w: ["DEEPTHOUGHT"]),
        inactive=nf("us_inactive"),
    ),
    "intel:reshare_decide": page(
        lambda w: reverse("intel:reshare_decide", args=[w.reshares["orcon"].pk]),
        method="post",
        payload=lambda w: {"decision": "approve"},
        permitted=("us_analyst", "redirect"),
        other_agency=nf("mx_analyst"),
        no_compartment=("us_nocomp", "redirect"),
        inactive=nf("us_inactive"),
    ),
    "intel:rfi_list": page(
        lambda w: reverse("intel:rfi_list"),
        permitted=ok("us_analyst", lambda w: ["HEARTOFGOLD", "BABELFISH"]),
        other_agency=ok("mx_analyst", lambda w: ["HEARTOFGOLD"], lambda w: ["BABELFISH"]),
        no_compartment=ok("us_nocomp", lambda w: ["HEARTOFGOLD"], lambda w: ["BABELFISH"]),
        inactive=nf("us_inactive"),
    ),
    "intel:rfi_detail": page(
        lambda w: reverse("intel:rfi_detail", args=[w.rfis["us_to_mx_comp"].pk]),
        permitted=ok("us_analyst", lambda w: ["BABELFISH"]),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "intel:rfi_create": page(
        lambda w: reverse("intel:rfi_create"),
        permitted=ok("us_analyst", lambda w: ["OP-TEST"]),
        other_agency=ok("mx_analyst", NONE, lambda w: ["OP-TEST"]),
        no_compartment=ok("us_nocomp", NONE, lambda w: ["OP-TEST"]),
        inactive=nf("us_inactive"),
    ),
    "intel:rfi_answer": page(
        lambda w: reverse("intel:rfi_answer", args=[w.rfis["us_to_mx_comp"].pk]),
        method="post",
        payload=lambda w: {"answer_text": "Answer."},
        permitted=("mx_comp", "redirect"),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "intel:rfi_status": page(
        lambda w: reverse("intel:rfi_status", args=[w.rfis["us_to_mx_comp"].pk]),
        method="post",
        payload=lambda w: {"status": "cancelled"},
        permitted=("us_analyst", "redirect"),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "intel:entity_list": page(
        lambda w: reverse("intel:entity_list"),
        permitted=ok("us_analyst", lambda w: ["ZAPHODORG", "TRILLIAN"]),
        other_agency=ok("mx_analyst", lambda w: ["TRILLIAN"], lambda w: ["ZAPHODORG"]),
        no_compartment=ok("us_nocomp", lambda w: ["ZAPHODORG"]),
        inactive=nf("us_inactive"),
    ),
    "intel:entity_detail": page(
        lambda w: reverse("intel:entity_detail", args=[w.entities["phone"].pk]),
        permitted=ok("us_analyst", lambda w: ["VOGON", "ZAPHODORG", "TRILLIAN"]),
        # The edge asserted by a report mx.analyst may not see does not exist for them.
        other_agency=ok("mx_analyst", lambda w: ["TRILLIAN"], lambda w: ["VOGON", "ZAPHODORG"]),
        no_compartment=ok("us_nocomp", lambda w: ["VOGON"]),
        inactive=nf("us_inactive"),
    ),
    "intel:graph_path": page(
        lambda w: reverse("intel:graph_path"),
        permitted=ok("us_analyst", lambda w: ["ZAPHODORG"]),
        other_agency=ok("mx_analyst", lambda w: ["TRILLIAN"], lambda w: ["ZAPHODORG"]),
        no_compartment=ok("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "search:search": page(
        lambda w: reverse("search:search") + "?q=FROBOZZ",
        permitted=ok("us_analyst", titles("us_compartment")),
        other_agency=ok("mx_analyst", NONE, titles("us_compartment")),
        no_compartment=ok("us_nocomp", NONE, titles("us_compartment")),
        inactive=nf("us_inactive"),
    ),
    "exports:report_export": page(
        lambda w: reverse("exports:report_export", args=[w.reports["us_compartment"].pk]),
        permitted=ok("us_analyst", titles("us_compartment")),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "exports:results_export": page(
        lambda w: reverse("exports:results_export") + "?q=FROBOZZ",
        permitted=ok("us_analyst", titles("us_compartment")),
        other_agency=ok("mx_analyst", NONE, titles("us_compartment")),
        no_compartment=ok("us_nocomp", NONE, titles("us_compartment")),
        inactive=nf("us_inactive"),
    ),
    "exports:trace": page(
        lambda w: reverse("exports:trace"),
        permitted=ok("us_integrity", lambda w: ["Trace"]),
        other_agency=ok("mx_integrity", lambda w: ["Trace"]),
        no_compartment=nf("us_analyst"),  # not an integrity officer
        inactive=nf("us_inactive"),
    ),
    "operations:operation_list": page(
        lambda w: reverse("operations:operation_list"),
        permitted=ok("us_supervisor", lambda w: ["OP-JOINT"]),
        other_agency=ok("mx_supervisor", NONE, lambda w: ["OP-JOINT"]),  # not yet a member
        no_compartment=ok("us_analyst", NONE, lambda w: ["OP-JOINT"]),
        inactive=nf("us_inactive"),
    ),
    "operations:operation_detail": page(
        lambda w: reverse("operations:operation_detail", args=[w.operation.pk]),
        permitted=ok("us_supervisor", lambda w: ["ARTHURDENT"]),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "operations:membership_request": page(
        lambda w: reverse("operations:membership_request", args=[w.operation.pk]),
        method="post",
        payload=lambda w: {"officer": w.officers["us"].pk, "action": "add"},
        permitted=("us_supervisor", "redirect"),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "operations:membership_approve": page(
        lambda w: reverse("operations:membership_approve", args=[w.membership_change.pk]),
        method="post",
        payload=lambda w: {},
        permitted=("us_supervisor", "redirect"),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "operations:activity_list": page(
        lambda w: reverse("operations:activity_list"),
        permitted=ok(
            "us_supervisor", lambda w: ["KRIKKIT", "USBP / MXFP"], lambda w: ["MAGRATHEAN"]
        ),
        other_agency=ok("mx_supervisor", lambda w: ["MAGRATHEAN"], lambda w: ["KRIKKIT"]),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "operations:activity_create": page(
        lambda w: reverse("operations:activity_create"),
        permitted=ok("us_supervisor"),
        other_agency=ok("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "operations:alert_detail": page(
        lambda w: reverse("operations:alert_detail", args=[w.alert.pk]),
        permitted=ok(
            "us_supervisor",
            lambda w: ["+52 631 555 0101", "+1 520 555 0100"],
            lambda w: ["MAGRATHEAN", "arrest"],
        ),
        other_agency=ok(
            "mx_supervisor", lambda w: ["+1 520 555 0100"], lambda w: ["KRIKKIT", "surveillance"]
        ),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "training:readiness": page(
        lambda w: reverse("training:readiness"),
        permitted=ok("us_training", lambda w: ["data:image/png;base64,", "USBP", "MXFP"]),
        other_agency=ok("mx_training", lambda w: ["data:image/png;base64,"]),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "notifications:notification_list": page(
        lambda w: (notification_of_us_analyst(w), reverse("notifications:notification_list"))[1],
        permitted=ok("us_analyst", NOTIFICATION_TEXT),
        other_agency=ok("mx_analyst", NONE, NOTIFICATION_TEXT),
        no_compartment=ok("us_nocomp", NONE, NOTIFICATION_TEXT),  # same agency, other user
        inactive=nf("us_inactive"),
    ),
    "notifications:notification_read": page(
        lambda w: reverse(
            "notifications:notification_read", args=[notification_of_us_analyst(w).pk]
        ),
        method="post",
        permitted=("us_analyst", "redirect"),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "agencies:officer_list": page(
        lambda w: reverse("agencies:officer_list"),
        permitted=ok(
            "us_analyst",
            lambda w: [w.officers["us"].badge_number],
            lambda w: [w.officers["mx"].badge_number],
        ),
        other_agency=ok(
            "mx_analyst",
            lambda w: [w.officers["mx"].badge_number],
            lambda w: [w.officers["us"].badge_number],
        ),
        no_compartment=ok("us_nocomp", lambda w: [w.officers["us"].badge_number]),
        inactive=nf("us_inactive"),
    ),
    "agencies:officer_detail": page(
        lambda w: reverse("agencies:officer_detail", args=[w.officers["us"].pk]),
        permitted=ok("us_analyst", lambda w: [w.officers["us"].badge_number]),
        other_agency=nf("mx_analyst"),
        no_compartment=ok("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "agencies:officer_create": page(
        lambda w: reverse("agencies:officer_create"),
        permitted=ok("us_admin", lambda w: ["Nogales Station"], lambda w: ["Zona Nogales"]),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "agencies:officer_update": page(
        lambda w: reverse("agencies:officer_update", args=[w.officers["us"].pk]),
        permitted=ok("us_admin", lambda w: [w.officers["us"].badge_number]),
        other_agency=nf("mx_admin"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "audit:event_list": page(
        lambda w: reverse("audit:event_list"),
        permitted=ok("us_integrity", lambda w: ["report.create"]),
        other_agency=ok("mx_integrity", NONE, lambda w: ["us.analyst"]),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    # Vetting: the partner sees status and expiry only; results and notes stay home.
    "vetting:roster": page(
        lambda w: reverse("vetting:roster"),
        permitted=ok(
            "us_integrity", lambda w: [w.officers["us"].badge_number], lambda w: ["RESTRICTED-NOTE"]
        ),
        other_agency=ok(
            "mx_integrity", lambda w: [w.officers["us"].badge_number], lambda w: ["RESTRICTED-NOTE"]
        ),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "vetting:officer": page(
        lambda w: reverse("vetting:officer", args=[w.officers["us"].pk]),
        permitted=ok("us_integrity", lambda w: ["RESTRICTED-NOTE-USBP", "US-BI"]),
        other_agency=nf("mx_integrity"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "vetting:case_open": page(
        lambda w: reverse("vetting:case_open", args=[w.officers["us"].pk]),
        method="post",
        payload=lambda w: {"programme": w.cases["us"].programme_id},
        permitted=("us_vetting", "redirect"),
        other_agency=nf("mx_vetting"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "vetting:result_create": page(
        lambda w: reverse("vetting:result_create", args=[w.cases["us"].pk]),
        method="post",
        payload=lambda w: {},
        permitted=("us_vetting", "redirect"),
        other_agency=nf("mx_vetting"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "vetting:case_approve": page(
        lambda w: reverse("vetting:case_approve", args=[w.cases["us"].pk]),
        method="post",
        payload=lambda w: {},
        permitted=("us_vetting", "redirect"),
        other_agency=nf("mx_vetting"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "vetting:allegation_list": page(
        lambda w: reverse("vetting:allegation_list"),
        permitted=ok("us_integrity", lambda w: ["ZAPHOD"]),
        other_agency=ok("mx_integrity", NONE, lambda w: ["ZAPHOD"]),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "vetting:allegation_create": page(
        lambda w: reverse("vetting:allegation_create"),
        permitted=ok("us_analyst", lambda w: [w.officers["us"].badge_number]),
        other_agency=ok("mx_analyst", lambda w: [w.officers["us"].badge_number]),
        no_compartment=ok("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "vetting:allegation_close": page(
        lambda w: reverse("vetting:allegation_close", args=[w.allegations["us"].pk]),
        method="post",
        payload=lambda w: {"outcome": "unsubstantiated", "resolution": "none"},
        permitted=("us_integrity", "redirect"),
        other_agency=nf("mx_integrity"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    # Training: schedules are shared; rosters and results stay with each agency.
    "training:course_list": page(
        lambda w: reverse("training:course_list"),
        permitted=ok("us_analyst", lambda w: ["HR-100"]),
        other_agency=ok("mx_analyst"),
        no_compartment=ok("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "training:session_detail": page(
        lambda w: reverse("training:session_detail", args=[w.sessions["hr"].pk]),
        permitted=ok(
            "us_training",
            lambda w: [w.officers["us"].badge_number],
            lambda w: [w.officers["mx"].badge_number],
        ),
        other_agency=ok(
            "mx_training",
            lambda w: [w.officers["mx"].badge_number],
            lambda w: [w.officers["us"].badge_number],
        ),
        no_compartment=ok(
            "us_analyst",
            NONE,
            lambda w: [w.officers["us"].badge_number, w.officers["mx"].badge_number],
        ),
        inactive=nf("us_inactive"),
    ),
    "training:enrol": page(
        lambda w: reverse("training:enrol", args=[w.sessions["hr"].pk]),
        method="post",
        payload=lambda w: {"officer": [w.user("us_analyst").officer.pk]},
        permitted=("us_training", "redirect"),
        other_agency=nf("mx_training"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "training:assess": page(
        lambda w: reverse("training:assess", args=[w.enrolments["us"].pk]),
        method="post",
        payload=lambda w: {"attended": "on", "score": "90", "passed": "on"},
        permitted=("us_training", "redirect"),
        other_agency=nf("mx_training"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    # Border flows: events under markings; the list's analytics come from the visible set.
    "flows:event_list": page(
        lambda w: reverse("flows:event_list"),
        permitted=ok(
            "us_analyst",
            flows("us_internal", "us_shared", "us_compartment", "mx_shared"),
            flows("mx_internal"),
        ),
        other_agency=ok(
            "mx_analyst",
            flows("us_shared", "mx_shared", "mx_internal"),
            flows("us_internal", "us_compartment"),
        ),
        no_compartment=ok("us_nocomp", flows("us_internal"), flows("us_compartment")),
        inactive=nf("us_inactive"),
    ),
    "flows:event_detail": page(
        lambda w: reverse("flows:event_detail", args=[w.flow_events["us_compartment"].pk]),
        permitted=ok("us_analyst", flows("us_compartment")),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    # Entry, correction and linking of flow events (tests/flows/test_entry.py).
    "flows:event_create": page(
        lambda w: reverse("flows:event_create"),
        permitted=ok("us_analyst", lambda w: ["datetime-local", "firearms-TOTAL_FORMS"]),
        other_agency=ok("mx_analyst", lambda w: ["datetime-local"]),
        no_compartment=nf("us_vetting"),
        inactive=nf("us_inactive"),
    ),
    "flows:event_update": page(
        lambda w: reverse("flows:event_update", args=[w.flow_events["us_compartment"].pk]),
        permitted=ok("us_analyst", flows("us_compartment")),
        other_agency=nf("mx_comp"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "flows:event_link": page(
        lambda w: reverse("flows:event_link", args=[w.flow_events["us_compartment"].pk]),
        method="post",
        payload=lambda w: {"other": flow_got_away_pair(w).pk},
        permitted=("us_analyst", "redirect"),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    # Flow analytics pages: numbers only, from the visible events (leak tests in
    # tests/flows/test_dashboard.py, test_hotspots.py, test_displacement.py, test_map.py).
    "flows:dashboard": page(
        lambda w: reverse("flows:dashboard") + "?" + FLOW_WINDOW,
        permitted=ok("us_analyst", lambda w: ['id="total-crossings">4<', "Nogales corridor"]),
        other_agency=ok("mx_analyst", lambda w: ['id="total-crossings">3<'], lambda w: ["75 %"]),
        no_compartment=ok("us_nocomp", lambda w: ['id="total-crossings">3<'], lambda w: ["75 %"]),
        inactive=nf("us_inactive"),
    ),
    "flows:hotspots": page(
        lambda w: reverse("flows:hotspots") + "?" + FLOW_WINDOW,
        permitted=ok("us_analyst", lambda w: ["4 crossings in 1 cells"]),
        other_agency=ok("mx_analyst", lambda w: ["3 crossings in 1 cells"]),
        no_compartment=ok("us_nocomp", lambda w: ["3 crossings in 1 cells"]),
        inactive=nf("us_inactive"),
    ),
    "flows:displacement": page(
        lambda w: reverse("flows:displacement") + "?" + FLOW_WINDOW,
        permitted=ok("us_analyst", lambda w: ["table-displacement", "Sasabe corridor"]),
        other_agency=ok("mx_analyst", lambda w: ["table-displacement"]),
        no_compartment=ok("us_nocomp", lambda w: ["table-displacement"]),
        inactive=nf("us_inactive"),
    ),
    "flows:map": page(
        lambda w: reverse("flows:map"),
        permitted=ok("us_analyst", lambda w: ["flow-map", "flows/map.js"]),
        other_agency=ok("mx_analyst", lambda w: ["flow-map"]),
        no_compartment=ok("us_nocomp", lambda w: ["flow-map"]),
        inactive=nf("us_inactive"),
    ),
    # Published statistics: public figures for every active reader (tests/series/).
    "series:series_list": page(
        lambda w: (matrix_series(w), reverse("series:series_list"))[1],
        permitted=ok("us_analyst", SERIES_TEXT),
        other_agency=ok("mx_analyst", SERIES_TEXT),
        no_compartment=ok("us_nocomp", SERIES_TEXT),
        inactive=nf("us_inactive"),
    ),
    "series:series_detail": page(
        lambda w: reverse("series:series_detail", args=[matrix_series(w).pk]),
        permitted=ok("us_analyst", SERIES_TEXT),
        other_agency=ok("mx_analyst", SERIES_TEXT),
        no_compartment=ok("us_nocomp", SERIES_TEXT),
        inactive=nf("us_inactive"),
    ),
    # Public pages: the login form and the language switch must work before login.
    "accounts:login": page(
        lambda w: reverse("accounts:login"),
        anonymous=("ok", NONE, NONE),
        permitted=(("us_analyst", "redirect")),
        other_agency=("mx_analyst", "redirect"),
        no_compartment=("us_nocomp", "redirect"),
        inactive=("us_inactive", "redirect"),
    ),
    "accounts:set_language": page(
        lambda w: reverse("accounts:set_language"),
        method="post",
        payload=lambda w: {"language": "es", "next": "/"},
        anonymous="redirect",
        permitted=("us_analyst", "redirect"),
        other_agency=("mx_analyst", "redirect"),
        no_compartment=("us_nocomp", "redirect"),
        inactive=("us_inactive", "redirect"),
    ),
    "accounts:logout": page(
        lambda w: reverse("accounts:logout"),
        method="post",
        payload=lambda w: {},
        anonymous="redirect",
        permitted=("us_analyst", "redirect"),
        other_agency=("mx_analyst", "redirect"),
        no_compartment=("us_nocomp", "redirect"),
        inactive=("us_inactive", "redirect"),
    ),
    # Two-factor pages are reachable by any logged-in user (they concern only that user).
    "accounts:2fa_setup": page(
        lambda w: reverse("accounts:2fa_setup"),
        permitted=ok("us_analyst", lambda w: ["<svg"]),
        other_agency=ok("mx_analyst", lambda w: ["<svg"]),
        no_compartment=ok("us_nocomp", lambda w: ["<svg"]),
        inactive=ok("us_inactive", lambda w: ["<svg"]),
    ),
    # Patrol plans: the full plan for supervisors of the operation's lead agencies who hold its
    # compartment; mx.supervisor leads the other agency but is not a member here.
    "patrols:plan_list": page(
        lambda w: (matrix_plan(w), reverse("patrols:plan_list"))[1],
        permitted=ok("us_supervisor", lambda w: ["OP-JOINT"]),
        other_agency=ok("mx_supervisor", NONE, lambda w: ["OP-JOINT"]),
        no_compartment=nf("us_analyst"),  # not a supervisor
        inactive=nf("us_inactive"),
    ),
    "patrols:plan_generate": page(
        lambda w: reverse("patrols:plan_generate"),
        permitted=ok("us_supervisor", lambda w: ["OP-JOINT"]),
        other_agency=ok("mx_supervisor", NONE, lambda w: ["OP-JOINT"]),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "patrols:plan_detail": page(
        lambda w: reverse("patrols:plan_detail", args=[matrix_plan(w).pk]),
        permitted=ok(
            "us_supervisor", lambda w: ["USBP Truck 1", "MXFP Truck 1", "Edited vs solver"]
        ),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "patrols:plan_publish": page(
        lambda w: reverse("patrols:plan_publish", args=[matrix_plan(w).pk]),
        method="post",
        payload=lambda w: {},
        permitted=("us_supervisor", "redirect"),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "patrols:plan_withdraw": page(
        lambda w: reverse("patrols:plan_withdraw", args=[matrix_plan(w).pk]),
        method="post",
        payload=lambda w: {},
        permitted=("us_supervisor", "redirect"),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    "patrols:assignment_edit": page(
        lambda w: reverse("patrols:assignment_edit", args=[matrix_assignment(w).pk]),
        permitted=ok("us_supervisor", lambda w: ["USBP Truck 1", "Crew1"]),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    # Own assignments only: nobody here is on a published plan, so nothing of it shows.
    "patrols:my_patrols": page(
        lambda w: (matrix_plan(w), reverse("patrols:my_patrols"))[1],
        permitted=ok("us_supervisor", lambda w: ["My patrols"], lambda w: ["USBP Truck"]),
        other_agency=ok("mx_supervisor", lambda w: ["My patrols"], lambda w: ["MXFP Truck"]),
        no_compartment=ok("us_nocomp", lambda w: ["My patrols"], lambda w: ["USBP Truck"]),
        inactive=nf("us_inactive"),
    ),
    # The live map of one joint operation: its members only (a non-member gets the same 404 as
    # a missing operation). What it draws comes from /api/positions/latest below.
    "positions:live_map": page(
        lambda w: matrix_live_map_url(w),
        permitted=ok("us_supervisor", lambda w: ["live-map", "positions/live.js", "OP-JOINT"]),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    "accounts:2fa_verify": page(
        lambda w: reverse("accounts:2fa_verify"),
        permitted=ok("us_integrity"),
        other_agency=ok("mx_integrity"),
        no_compartment=ok("us_nocomp"),
        inactive=ok("us_inactive"),
    ),
}


def api(path, *, permitted, other_agency, no_compartment, inactive, method="get", payload=None):
    return Route(
        url=path,
        method=method,
        payload=payload,
        scenarios={
            "anonymous": (None, "401"),
            "permitted": permitted,
            "other_agency": other_agency,
            "no_compartment": no_compartment,
            "inactive": inactive,
        },
    )


def report_payload(w):
    return {
        "title": "New via API",
        "body": "b",
        "language": "en",
        "basis_for_entry": "basis",
        "releasable_to": ["MXFP"],
        "compartments": ["OP-TEST"],
    }


# Keyed by (method, OpenAPI path template).
API: dict[tuple[str, str], Route] = {
    ("get", "/api/flows/events"): api(
        lambda w: "/api/flows/events",
        permitted=ok("us_analyst", flows("us_compartment", "mx_shared"), flows("mx_internal")),
        other_agency=ok("mx_analyst", flows("us_shared"), flows("us_internal", "us_compartment")),
        no_compartment=ok("us_nocomp", flows("us_internal"), flows("us_compartment")),
        inactive=ok("us_inactive", lambda w: ['"count": 0'], flows("us_internal")),
    ),
    ("get", "/api/flows/events/{event_id}"): api(
        lambda w: f"/api/flows/events/{w.flow_events['us_compartment'].pk}",
        permitted=ok("us_analyst", flows("us_compartment")),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    ("patch", "/api/flows/events/{event_id}"): api(
        lambda w: f"/api/flows/events/{w.flow_events['us_compartment'].pk}",
        method="patch",
        payload=lambda w: {"narrative": "Corrected narrative"},
        permitted=ok("us_analyst", lambda w: ["Corrected narrative"]),
        other_agency=nf("mx_comp"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/flows/events/{event_id}/link"): api(
        lambda w: f"/api/flows/events/{w.flow_events['us_compartment'].pk}/link",
        method="post",
        payload=lambda w: {"other_id": flow_got_away_pair(w).pk},
        permitted=ok("us_analyst", lambda w: ['"crossing": "X-']),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/flows/events"): api(
        lambda w: "/api/flows/events",
        method="post",
        payload=lambda w: {
            "kind": "seizure",
            "occurred_at": "2026-06-01T10:00:00Z",
            "lon": -110.95,
            "lat": 31.34,
            "case_reference": "NEW-FLOW-VIA-API",
            "releasable_to": ["MXFP"],
        },
        permitted=("us_analyst", ("status", 201, lambda w: ["NEW-FLOW-VIA-API"], NONE)),
        other_agency=("mx_analyst", ("status", 201, lambda w: ['"marking": "MXFP"'], NONE)),
        no_compartment=("us_nocomp", ("status", 201, lambda w: ["NEW-FLOW-VIA-API"], NONE)),
        inactive=nf("us_inactive"),
    ),
    # Numbers only; that they leak nothing is tested in tests/flows/test_analytics.py.
    ("get", "/api/flows/analytics"): api(
        lambda w: "/api/flows/analytics",
        permitted=ok("us_analyst", lambda w: ["NOGALES", "effectiveness"]),
        other_agency=ok("mx_analyst", lambda w: ["NOGALES"]),
        no_compartment=ok("us_nocomp", lambda w: ["NOGALES"]),
        inactive=nf("us_inactive"),
    ),
    # Flow map layers (GeoJSON); leak tests in tests/flows/test_map.py and test_hotspots.py.
    ("get", "/api/flows/map/boundary"): api(
        lambda w: "/api/flows/map/boundary",
        permitted=ok("us_analyst", lambda w: ["LineString"]),
        other_agency=ok("mx_analyst", lambda w: ["LineString"]),
        no_compartment=ok("us_nocomp", lambda w: ["LineString"]),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/flows/map/places"): api(
        lambda w: "/api/flows/map/places",
        permitted=ok("us_analyst", lambda w: ["POE-NACO"]),
        other_agency=ok("mx_analyst", lambda w: ["POE-NACO"]),
        no_compartment=ok("us_nocomp", lambda w: ["POE-NACO"]),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/flows/map/segments"): api(
        lambda w: "/api/flows/map/segments?km_min=685&km_max=686&" + FLOW_WINDOW,
        permitted=ok("us_analyst", lambda w: ['"events": 4', '"got_aways": 1']),
        other_agency=ok(
            "mx_analyst", lambda w: ['"events": 3', '"got_aways": 0'], lambda w: ['"events": 4']
        ),
        no_compartment=ok(
            "us_nocomp", lambda w: ['"events": 3', '"got_aways": 0'], lambda w: ['"events": 4']
        ),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/flows/map/events"): api(
        lambda w: "/api/flows/map/events?" + FLOW_WINDOW,
        permitted=ok("us_analyst", flows("us_compartment", "mx_shared"), flows("mx_internal")),
        other_agency=ok("mx_analyst", flows("us_shared"), flows("us_internal", "us_compartment")),
        no_compartment=ok("us_nocomp", flows("us_internal"), flows("us_compartment")),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/flows/map/hotspots"): api(
        lambda w: "/api/flows/map/hotspots?" + FLOW_WINDOW,
        permitted=ok("us_analyst", lambda w: ['"events": 4']),
        other_agency=ok("mx_analyst", lambda w: ['"events": 3'], lambda w: ['"events": 4']),
        no_compartment=ok("us_nocomp", lambda w: ['"events": 3'], lambda w: ['"events": 4']),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/series"): api(
        lambda w: (matrix_series(w), "/api/series")[1],
        permitted=ok("us_analyst", SERIES_TEXT),
        other_agency=ok("mx_analyst", SERIES_TEXT),
        no_compartment=ok("us_nocomp", SERIES_TEXT),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/series/{series_id}"): api(
        lambda w: f"/api/series/{matrix_series(w).pk}",
        permitted=ok("us_analyst", lambda w: ["matrix-cbp.csv", '"value": 321.0']),
        other_agency=ok("mx_analyst", SERIES_TEXT),
        no_compartment=ok("us_nocomp", SERIES_TEXT),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/me"): api(
        lambda w: "/api/me",
        permitted=ok("us_analyst", lambda w: ["OP-TEST"]),
        other_agency=ok("mx_analyst", lambda w: ["MXFP"], lambda w: ["OP-TEST"]),
        no_compartment=ok("us_nocomp", NONE, lambda w: ["OP-TEST"]),
        inactive=ok("us_inactive"),
    ),
    ("get", "/api/agencies"): api(
        lambda w: "/api/agencies",
        permitted=ok("us_analyst", lambda w: ["USBP", "MXFP"]),
        other_agency=ok("mx_analyst"),
        no_compartment=ok("us_nocomp"),
        inactive=ok("us_inactive"),
    ),
    ("get", "/api/units"): api(
        lambda w: "/api/units",
        permitted=ok("us_analyst", lambda w: ["NGL"]),
        other_agency=ok("mx_analyst"),
        no_compartment=ok("us_nocomp"),
        inactive=ok("us_inactive"),
    ),
    ("get", "/api/officers"): api(
        lambda w: "/api/officers",
        permitted=ok(
            "us_analyst",
            lambda w: [w.officers["us"].badge_number],
            lambda w: [w.officers["mx"].badge_number],
        ),
        other_agency=ok(
            "mx_analyst",
            lambda w: [w.officers["mx"].badge_number],
            lambda w: [w.officers["us"].badge_number],
        ),
        no_compartment=ok("us_nocomp"),
        inactive=ok("us_inactive", lambda w: ['"count": 0']),
    ),
    ("get", "/api/officers/{officer_id}"): api(
        lambda w: f"/api/officers/{w.officers['us'].pk}",
        permitted=ok("us_analyst", lambda w: [w.officers["us"].badge_number]),
        other_agency=nf("mx_analyst"),
        no_compartment=ok("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/officers"): api(
        lambda w: "/api/officers",
        method="post",
        payload=lambda w: {"badge_number": "NEW-1", "given_name": "Ana", "family_name": "Ruiz"},
        permitted=ok("us_admin", lambda w: ["NEW-1"]),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/intel/reports"): api(
        lambda w: "/api/intel/reports",
        permitted=ok("us_analyst", titles("us_compartment", "mx_shared"), titles("mx_internal")),
        other_agency=ok("mx_analyst", titles("us_shared"), ALL_US_HIDDEN_FROM_MX),
        no_compartment=ok("us_nocomp", titles("us_internal"), titles("us_compartment")),
        inactive=ok("us_inactive", lambda w: ['"count": 0']),
    ),
    ("get", "/api/intel/reports/{report_id}"): api(
        lambda w: f"/api/intel/reports/{w.reports['us_compartment'].pk}",
        permitted=ok("us_analyst", titles("us_compartment")),
        other_agency=nf("mx_analyst"),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/intel/reports"): api(
        lambda w: "/api/intel/reports",
        method="post",
        payload=report_payload,
        permitted=ok("us_analyst", lambda w: ["New via API", "OP-TEST"]),
        # A user who does not hold the compartment cannot label data with it.
        other_agency=(
            "mx_analyst",
            ("status", 422, lambda w: ["compartments"], lambda w: ["OP-TEST"]),
        ),
        no_compartment=(
            "us_nocomp",
            ("status", 422, lambda w: ["compartments"], lambda w: ["OP-TEST"]),
        ),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/vetting/roster"): api(
        lambda w: "/api/vetting/roster",
        permitted=ok(
            "us_integrity",
            lambda w: [w.officers["mx"].badge_number],
            lambda w: ["RESTRICTED-NOTE", "notes"],
        ),
        other_agency=ok(
            "mx_integrity",
            lambda w: [w.officers["us"].badge_number],
            lambda w: ["RESTRICTED-NOTE", "notes"],
        ),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/vetting/officers/{officer_id}/cases"): api(
        lambda w: f"/api/vetting/officers/{w.officers['us'].pk}/cases",
        permitted=ok("us_integrity", lambda w: ["RESTRICTED-NOTE-USBP"]),
        other_agency=nf("mx_integrity"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/training/sessions"): api(
        lambda w: "/api/training/sessions",
        permitted=ok("us_analyst", lambda w: ["HR-100"]),
        other_agency=ok("mx_analyst"),
        no_compartment=ok("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/training/sessions/{session_id}/enrolments"): api(
        lambda w: f"/api/training/sessions/{w.sessions['hr'].pk}/enrolments",
        permitted=ok(
            "us_training",
            lambda w: [w.officers["us"].full_name],
            lambda w: [w.officers["mx"].full_name],
        ),
        other_agency=ok(
            "mx_training",
            lambda w: [w.officers["mx"].full_name],
            lambda w: [w.officers["us"].full_name],
        ),
        no_compartment=ok("us_analyst", NONE, lambda w: [w.officers["us"].full_name]),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/training/sessions/{session_id}/enrolments"): api(
        lambda w: f"/api/training/sessions/{w.sessions['hr'].pk}/enrolments",
        method="post",
        payload=lambda w: {"officer_id": w.user("us_analyst").officer.pk},
        permitted=ok("us_training"),
        other_agency=nf("mx_training"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/intel/tearlines"): api(
        lambda w: "/api/intel/tearlines",
        permitted=ok("mx_analyst", lambda w: ["MAGRATHEA"], titles("us_internal")),
        # Readers of the full report find the tearline on the report instead.
        other_agency=ok("us_analyst", NONE, lambda w: ["MAGRATHEA"]),
        no_compartment=ok("us_nocomp", NONE, lambda w: ["MAGRATHEA"]),
        inactive=ok("us_inactive", lambda w: ['"count": 0']),
    ),
    ("get", "/api/intel/tearlines/{tearline_id}"): api(
        lambda w: f"/api/intel/tearlines/{w.tearlines['us_internal'].pk}",
        permitted=ok("us_analyst", lambda w: ["MAGRATHEA"]),
        other_agency=ok("mx_analyst", lambda w: ["MAGRATHEA"], titles("us_internal")),
        no_compartment=ok("us_nocomp", lambda w: ["MAGRATHEA"]),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/intel/rfis"): api(
        lambda w: "/api/intel/rfis",
        permitted=ok("us_analyst", lambda w: ["HEARTOFGOLD", "BABELFISH"]),
        other_agency=ok("mx_analyst", lambda w: ["HEARTOFGOLD"], lambda w: ["BABELFISH"]),
        no_compartment=ok("us_nocomp", lambda w: ["HEARTOFGOLD"], lambda w: ["BABELFISH"]),
        inactive=ok("us_inactive", lambda w: ['"count": 0']),
    ),
    ("get", "/api/intel/rfis/turnaround"): api(
        lambda w: "/api/intel/rfis/turnaround",
        permitted=ok("us_analyst", lambda w: ["USBP", "MXFP"]),
        # The compartmented request to MXFP is invisible, so it counts for nothing.
        other_agency=ok("mx_analyst", lambda w: ["USBP"], lambda w: ["MXFP"]),
        no_compartment=ok("us_nocomp", lambda w: ["USBP"], lambda w: ["MXFP"]),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/intel/rfis"): api(
        lambda w: "/api/intel/rfis",
        method="post",
        payload=lambda w: {
            "requested_agency": "MXFP",
            "question": "Q?",
            "due_date": in_years(3),
            "compartment": "OP-TEST",
        },
        permitted=ok("us_analyst", lambda w: ["Q?"]),
        other_agency=("mx_analyst", ("status", 422, lambda w: ["compartment"], NONE)),
        no_compartment=("us_nocomp", ("status", 422, lambda w: ["compartment"], NONE)),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/intel/rfis/{rfi_id}/answer"): api(
        lambda w: f"/api/intel/rfis/{w.rfis['mx_to_us'].pk}/answer",
        method="post",
        payload=lambda w: {"answer_text": "Answered."},
        permitted=ok("us_analyst", lambda w: ["answered"]),
        other_agency=nf("mx_analyst"),
        no_compartment=ok("us_nocomp", lambda w: ["answered"]),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/intel/entities"): api(
        lambda w: "/api/intel/entities",
        permitted=ok("us_analyst", lambda w: ["ZAPHODORG", "TRILLIAN"]),
        other_agency=ok("mx_analyst", lambda w: ["TRILLIAN"], lambda w: ["ZAPHODORG"]),
        no_compartment=ok("us_nocomp", lambda w: ["ZAPHODORG"]),
        inactive=ok("us_inactive", lambda w: ['"count": 0']),
    ),
    ("get", "/api/intel/entities/{entity_id}/neighbours"): api(
        lambda w: f"/api/intel/entities/{w.entities['phone'].pk}/neighbours",
        permitted=ok("us_analyst", lambda w: ["VOGON", "TRILLIAN"]),
        other_agency=ok("mx_analyst", lambda w: ["TRILLIAN"], lambda w: ["VOGON", "ZAPHODORG"]),
        no_compartment=ok("us_nocomp", lambda w: ["VOGON"]),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/intel/graph/path"): api(
        lambda w: (
            f"/api/intel/graph/path?source={w.entities['org'].pk}&target={w.entities['van'].pk}"
        ),
        permitted=ok("us_analyst", lambda w: ["ZAPHODORG", "VOGON", "TRILLIAN"]),
        other_agency=nf("mx_analyst"),  # the start entity is known only from a hidden report
        no_compartment=ok("us_nocomp", lambda w: ["TRILLIAN"]),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/training/readiness"): api(
        lambda w: "/api/training/readiness",
        permitted=ok("us_training", lambda w: ["forecast", "USBP"]),
        other_agency=ok("mx_training", lambda w: ["forecast"]),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/search"): api(
        lambda w: "/api/search?q=FROBOZZ",
        permitted=ok("us_analyst", titles("us_compartment")),
        other_agency=ok("mx_analyst", lambda w: ['"count": 0'], titles("us_compartment")),
        no_compartment=ok("us_nocomp", lambda w: ['"count": 0'], titles("us_compartment")),
        inactive=ok("us_inactive", lambda w: ['"count": 0']),
    ),
    ("get", "/api/search/facets"): api(
        lambda w: "/api/search/facets?q=FROBOZZ",
        permitted=ok("us_analyst", lambda w: ['"count": 1', "USBP"]),
        other_agency=ok("mx_analyst", lambda w: ['"count": 0'], lambda w: ["USBP"]),
        no_compartment=ok("us_nocomp", lambda w: ['"count": 0'], lambda w: ["USBP"]),
        inactive=ok("us_inactive", lambda w: ['"count": 0']),
    ),
    # An entity named only by a compartmented report: found (count and label) by a holder only.
    ("get", "/api/search/entities"): api(
        lambda w: (entity_in_compartment(w), "/api/search/entities?q=prefectent")[1],
        permitted=ok("us_analyst", lambda w: ['"count": 1', "Ford PREFECTENT"]),
        other_agency=ok("mx_analyst", lambda w: ['"count": 0'], COMPARTMENT_ENTITY),
        no_compartment=ok("us_nocomp", lambda w: ['"count": 0'], COMPARTMENT_ENTITY),
        inactive=ok("us_inactive", lambda w: ['"count": 0'], COMPARTMENT_ENTITY),
    ),
    ("get", "/api/patrols/plans"): api(
        lambda w: (matrix_plan(w), "/api/patrols/plans")[1],
        permitted=ok("us_supervisor", lambda w: ["OP-JOINT", '"count": 1']),
        other_agency=ok("mx_supervisor", lambda w: ['"count": 0'], lambda w: ["OP-JOINT"]),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/patrols/plans/{plan_id}"): api(
        lambda w: f"/api/patrols/plans/{matrix_plan(w).pk}",
        permitted=ok("us_supervisor", lambda w: ["USBP Truck 1", "edited_vs_solver"]),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/patrols/plans"): api(
        lambda w: "/api/patrols/plans",
        method="post",
        payload=lambda w: {
            "operation_id": w.operation.pk,
            "sector_id": matrix_plan(w).sector_id,
            "date": (matrix_plan(w).date + dt.timedelta(days=2)).isoformat(),
            "shift": "day",
            "seed": 5,
        },
        permitted=("us_supervisor", ("status", 201, lambda w: ["USBP Truck 1"], NONE)),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/patrols/assignments/{assignment_id}/edit"): api(
        lambda w: f"/api/patrols/assignments/{matrix_assignment(w).pk}/edit",
        method="post",
        payload=lambda w: {"vehicle": "USBP Truck 9"},
        permitted=ok("us_supervisor", lambda w: ["USBP Truck 9", '"manually_edited": true']),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/patrols/plans/{plan_id}/publish"): api(
        lambda w: f"/api/patrols/plans/{matrix_plan(w).pk}/publish",
        method="post",
        permitted=ok("us_supervisor", lambda w: ['"status": "published"']),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("post", "/api/patrols/plans/{plan_id}/withdraw"): api(
        lambda w: f"/api/patrols/plans/{matrix_plan(w).pk}/withdraw",
        method="post",
        permitted=ok("us_supervisor", lambda w: ['"status": "withdrawn"']),
        other_agency=nf("mx_supervisor"),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/patrols/mine"): api(
        lambda w: (matrix_plan(w), "/api/patrols/mine")[1],
        permitted=ok("us_supervisor", lambda w: ['"count": 0'], lambda w: ["USBP Truck"]),
        other_agency=ok("mx_supervisor", lambda w: ['"count": 0'], lambda w: ["MXFP Truck"]),
        no_compartment=ok("us_nocomp", lambda w: ['"count": 0']),
        inactive=nf("us_inactive"),
    ),
    # Latest positions: mx.supervisor is a member of OP-JOINT (matrix_positions) and sees the
    # shared U.S. unit, never the unshared one; a non-member sees none of the operation's units.
    ("get", "/api/positions/latest"): api(
        lambda w: (matrix_positions(w), "/api/positions/latest")[1],
        permitted=ok("us_supervisor", lambda w: [SHARED, PRIVATE, MX_UNIT]),
        other_agency=ok("mx_supervisor", lambda w: [SHARED, MX_UNIT], lambda w: [PRIVATE]),
        no_compartment=ok("us_nocomp", lambda w: ['"count": 0'], lambda w: [SHARED, PRIVATE]),
        inactive=nf("us_inactive"),
    ),
    # Reporting: patrol agents and supervisors, for their own agency's units only (another
    # agency's call sign is an unknown unit, named by index and field).
    ("post", "/api/positions/batch"): api(
        lambda w: (matrix_positions(w), "/api/positions/batch")[1],
        method="post",
        payload=lambda w: {
            "reports": [
                {
                    "unit": SHARED,
                    "time": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat(),
                    "lat": 31.345,
                    "lon": -110.95,
                    "operation": "OP-JOINT",
                }
            ]
        },
        permitted=ok("us_supervisor", lambda w: ['"accepted": 1', SHARED]),
        other_agency=(
            "mx_supervisor",
            ("status", 422, lambda w: ['"field": "unit"', "Unknown unit"], NONE),
        ),
        no_compartment=nf("us_nocomp"),
        inactive=nf("us_inactive"),
    ),
    ("get", "/api/audit/events"): api(
        lambda w: "/api/audit/events",
        permitted=ok("us_integrity", lambda w: ["report.create"]),
        other_agency=ok("mx_integrity", NONE, lambda w: ["us.analyst"]),
        no_compartment=nf("us_analyst"),
        inactive=nf("us_inactive"),
    ),
}
