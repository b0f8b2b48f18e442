import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from world_flows import make_flow_event

from alianza.access.getters import RecordNotFound
from alianza.access.services import marking_get_or_create
from alianza.audit.models import AuditEvent
from alianza.flows.models import CurrencyItem, DrugItem, ExchangeRate, FlowEvent
from alianza.flows.normalise import drug_quantity_normalise
from alianza.flows.services import flow_event_create, flow_event_update, flow_events_link

WHEN = dt.datetime(2026, 6, 15, 3, 30, tzinfo=dt.UTC)


def _create(world, user_key="us_analyst", **overrides):
    values = {
        "actor": world.user(user_key),
        "kind": "seizure",
        "occurred_at": WHEN,
        "lon": -110.95,
        "lat": 31.34,
        "marking": marking_get_or_create(originating_agency=world.us),
    }
    values.update(overrides)
    return flow_event_create(**values)


@pytest.mark.parametrize(
    ("quantity", "unit", "kg", "pills"),
    [
        ("2.5", "kg", "2.5000", 0),
        ("1500", "g", "1.5000", 0),
        ("10", "lb", "4.5359", 0),
        ("16", "oz", "0.4536", 0),
        ("300", "pills", "0", 300),
    ],
)
def test_drug_quantities_are_normalised_to_kg_and_pills_are_counted(quantity, unit, kg, pills):
    assert drug_quantity_normalise(quantity=Decimal(quantity), unit=unit) == (Decimal(kg), pills)


def test_fractional_pills_and_unknown_units_name_their_field():
    with pytest.raises(ValidationError) as error:
        drug_quantity_normalise(quantity=Decimal("1.5"), unit="pills")
    assert "quantity" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        drug_quantity_normalise(quantity=Decimal("1"), unit="ton")
    assert "unit" in error.value.message_dict


def test_event_is_snapped_to_segment_side_and_distance(world):
    event = _create(world)
    assert event.segment.segment_id == "km-0685"
    assert event.side == "US" and 0 < event.distance_m < 2000
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="flowevent.create", object_id=str(event.pk))
        .exists()
    )


def test_far_point_is_a_validation_error_on_location_with_the_locator_message(world):
    with pytest.raises(ValidationError) as error:
        _create(world, lon=-111.0, lat=33.5)
    assert "km from the US–Mexico boundary" in error.value.message_dict["location"][0]


def test_naive_and_future_times_are_refused(world):
    with pytest.raises(ValidationError) as error:
        _create(world, occurred_at=dt.datetime(2026, 6, 15, 3, 30))
    assert "occurred_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(world, occurred_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=5 * 365))
    assert "occurred_at" in error.value.message_dict


def test_marking_of_another_agency_is_refused(world):
    with pytest.raises(ValidationError) as error:
        _create(world, marking=marking_get_or_create(originating_agency=world.mx))
    assert "marking" in error.value.message_dict


def test_marking_the_writer_cannot_see_is_refused(world):
    with pytest.raises(ValidationError) as error:
        _create(
            world,
            user_key="us_nocomp",
            marking=marking_get_or_create(
                originating_agency=world.us, compartments=[world.compartment]
            ),
        )
    assert "marking" in error.value.message_dict


def test_inactive_officer_cannot_create(world):
    with pytest.raises(RecordNotFound):
        _create(world, user_key="us_inactive")


def test_items_are_stored_normalised_with_the_dated_exchange_rate(world):
    ExchangeRate.objects.create(date=dt.date(2026, 6, 1), currency="MXN", usd_per_unit="0.05")
    ExchangeRate.objects.create(date=dt.date(2026, 6, 20), currency="MXN", usd_per_unit="0.09")
    event = _create(
        world,
        items={
            "drugs": [{"category": "methamphetamine", "quantity": "22", "unit": "lb"}],
            "currency": [
                {"amount": "1000", "currency": "MXN"},
                {"amount": "250", "currency": "USD"},
            ],
        },
    )
    reader = world.user("us_analyst")
    drug = DrugItem.objects.visible_to(reader).get(event=event)
    assert drug.weight_kg == Decimal("9.9790")
    cash = {c.currency: c for c in CurrencyItem.objects.visible_to(reader).filter(event=event)}
    # The rate of June 1 (the latest on or before June 15), not the later one.
    assert cash["MXN"].usd_amount == Decimal("50.00")
    assert cash["MXN"].rate_date == dt.date(2026, 6, 1)
    assert cash["USD"].usd_amount == Decimal("250.00")
    assert not DrugItem.objects.visible_to(world.user("mx_analyst")).filter(event=event).exists()


def test_missing_exchange_rate_is_an_error_on_currency_and_nothing_is_written(world):
    before = FlowEvent.objects.unrestricted(reason="test").count()
    with pytest.raises(ValidationError) as error:
        _create(world, items={"currency": [{"amount": "10", "currency": "MXN"}]})
    assert "currency" in error.value.message_dict
    assert FlowEvent.objects.unrestricted(reason="test").count() == before


def test_update_resnaps_and_is_refused_to_the_other_agency(world):
    event = world.flow_events["us_shared"]
    flow_event_update(actor=world.user("us_analyst"), event=event, lon=-109.95, lat=31.34)
    assert event.segment.segment_id.startswith("km-078")
    with pytest.raises(RecordNotFound):
        flow_event_update(actor=world.user("mx_analyst"), event=event, narrative="x")
    with pytest.raises(ValidationError) as error:
        flow_event_update(actor=world.user("us_analyst"), event=event, agency=world.mx)
    assert "agency" in error.value.message_dict


def test_linking_two_reports_gives_them_one_crossing_and_is_audited(world):
    us_event, mx_event = world.flow_events["us_shared"], world.flow_events["mx_internal"]
    crossing = flow_events_link(actor=None, first=us_event, second=mx_event)
    keys = set(
        FlowEvent.objects.unrestricted(reason="test")
        .filter(pk__in=[us_event.pk, mx_event.pk])
        .values_list("crossing", flat=True)
    )
    assert keys == {crossing}
    assert AuditEvent.objects.unrestricted(reason="test").filter(action="flowevent.link").exists()


def test_linking_merges_existing_crossings(world):
    a = make_flow_event(agency=world.us, case_reference="A", releasable_to=[world.mx])
    b = make_flow_event(agency=world.mx, case_reference="B", releasable_to=[world.us])
    c = make_flow_event(agency=world.mx, case_reference="C", releasable_to=[world.us])
    d = make_flow_event(agency=world.us, case_reference="D", releasable_to=[world.mx])
    flow_events_link(actor=None, first=a, second=b)
    flow_events_link(actor=None, first=c, second=d)
    key = flow_events_link(actor=world.user("us_analyst"), first=b, second=c)
    assert set(
        FlowEvent.objects.unrestricted(reason="test")
        .filter(pk__in=[a.pk, b.pk, c.pk, d.pk])
        .values_list("crossing", flat=True)
    ) == {key}


def test_linking_needs_same_kind_direction_and_close_times(world):
    us_shared, mx_shared = world.flow_events["us_shared"], world.flow_events["mx_shared"]
    with pytest.raises(ValidationError) as error:
        flow_events_link(actor=None, first=us_shared, second=mx_shared)
    assert "kind" in error.value.message_dict
    late = make_flow_event(agency=world.mx, case_reference="LATE", when=WHEN + dt.timedelta(days=5))
    with pytest.raises(ValidationError) as error:
        flow_events_link(actor=None, first=us_shared, second=late)
    assert "occurred_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        flow_events_link(actor=None, first=us_shared, second=us_shared)
    assert "second" in error.value.message_dict


def test_linking_an_event_the_actor_cannot_see_answers_not_found(world):
    with pytest.raises(RecordNotFound):
        flow_events_link(
            actor=world.user("mx_analyst"),
            first=world.flow_events["us_internal"],
            second=world.flow_events["mx_internal"],
        )


def test_api_create_stores_items_and_names_the_field_of_a_far_point(world, client):
    import json

    from world import login_verified

    login_verified(client, world.user("us_analyst"))
    payload = {
        "kind": "seizure",
        "direction": "northbound",
        "occurred_at": "2026-06-01T10:00:00Z",
        "lon": -110.95,
        "lat": 31.34,
        "items": {"drugs": [{"category": "fentanyl", "quantity": "500", "unit": "pills"}]},
    }
    response = client.post(
        "/api/flows/events", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    drug = DrugItem.objects.unrestricted(reason="test").get(event_id=event_id)
    assert (drug.pills, drug.weight_kg) == (500, Decimal("0"))
    payload["lat"] = 33.5
    response = client.post(
        "/api/flows/events", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["field"] == "location"
