"""Entry forms and API for reporting, correcting and linking flow events."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from world_flows import make_flow_event

from alianza.audit.models import AuditEvent
from alianza.flows.models import (
    AmmunitionItem,
    DrugItem,
    ExchangeRate,
    FirearmItem,
    FlowEvent,
    PersonsItem,
    VehicleItem,
)

from world import login_verified

IN_FIVE_YEARS = (dt.datetime.now(dt.UTC) + dt.timedelta(days=5 * 365)).strftime("%Y-%m-%dT10:00")

pytestmark = pytest.mark.django_db


def _events():
    return FlowEvent.objects.unrestricted(reason="test")


def _management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }


def _form(**fields):
    data = {
        "kind": "seizure",
        "direction": "northbound",
        "occurred_at": "2026-06-01T22:15",  # Arizona time: 05:15 UTC the next day
        "lat": "31.34",
        "lon": "-110.95",
        "case_reference": "ENTRY-1",
        "narrative": "Backpackers west of the DeConcini port.",
    }
    for prefix in ("drugs", "currency", "firearms", "ammunition", "persons", "vehicles"):
        data.update(_management(prefix, total=1))
    data.update(fields)
    return data


def test_an_analyst_reports_an_event_with_items_in_local_time(world, client):
    login_verified(client, world.user("us_analyst"))
    page = client.get(reverse("flows:event_create"))
    assert page.status_code == 200 and b"datetime-local" in page.content
    data = _form(
        **{
            "drugs-0-category": "methamphetamine",
            "drugs-0-quantity": "12.5",
            "drugs-0-unit": "lb",
            "firearms-0-type": "rifle",
            "firearms-0-make": "Colt",
            "firearms-0-calibre": "5.56",
            "firearms-0-serial": "LE123456",
            "ammunition-0-rounds": "240",
            "persons-0-count": "3",
            "persons-0-nationality": "mx",
            "vehicles-0-plate": "VSR4512",
            "vehicles-0-state": "Sonora",
            "releasable_to": [str(world.mx.pk)],
        }
    )
    response = client.post(reverse("flows:event_create"), data)
    event = _events().get(case_reference="ENTRY-1")
    assert response.status_code == 302 and response["Location"].endswith(f"/{event.pk}/")
    assert event.occurred_at.isoformat() == "2026-06-02T05:15:00+00:00"
    assert event.segment is not None and event.side in ("US", "MX")
    assert list(event.marking.releasable_to.all()) == [world.mx]
    drug = DrugItem.objects.unrestricted(reason="test").get(event=event)
    assert (drug.category, str(drug.weight_kg)) == ("methamphetamine", "5.6699")
    gun = FirearmItem.objects.unrestricted(reason="test").get(event=event)
    assert (gun.type, gun.make, gun.serial) == ("rifle", "Colt", "LE123456")
    assert AmmunitionItem.objects.unrestricted(reason="test").get(event=event).rounds == 240
    persons = PersonsItem.objects.unrestricted(reason="test").get(event=event)
    assert (persons.count, persons.nationality) == (3, "MX")
    assert VehicleItem.objects.unrestricted(reason="test").get(event=event).plate == "VSR4512"
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="flowevent.create", object_id=str(event.pk))
        .exists()
    )
    detail = client.get(response["Location"]).content.decode()
    for text in ("Colt", "LE123456", "240", "VSR4512", "5.67"):
        assert text in detail, text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"lat": "33.9"}, "km"),  # far from the line: the locator's message names the distance
        ({"drugs-0-category": "fentanyl", "drugs-0-quantity": "-3", "drugs-0-unit": "g"}, "0"),
        ({"persons-0-count": "0"}, "1"),
        ({"occurred_at": IN_FIVE_YEARS}, "future"),
    ],
)
def test_a_bad_entry_is_shown_with_its_error_and_nothing_is_written(world, client, fields, message):
    login_verified(client, world.user("us_analyst"))
    before = _events().count()
    response = client.post(reverse("flows:event_create"), _form(**fields))
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert message in response.content.decode()
    assert _events().count() == before
    assert not DrugItem.objects.unrestricted(reason="test").filter(quantity__lt=0).exists()


def test_only_reporters_may_open_the_entry_form(world, client):
    assert client.get(reverse("flows:event_create")).status_code == 302  # to the login page
    for key in ("us_vetting", "us_training", "us_inactive"):
        login_verified(client, world.user(key))
        assert client.get(reverse("flows:event_create")).status_code == 404, key
        assert client.post(reverse("flows:event_create"), _form()).status_code == 404, key


def test_an_analyst_corrects_their_agencys_event_audited_before_and_after(world, client):
    event = world.flow_events["us_shared"]
    login_verified(client, world.user("us_analyst"))
    url = reverse("flows:event_update", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200 and "FLOW-US-SHARED POODOO" in page.content.decode()
    response = client.post(
        url,
        _form(
            kind=event.kind,
            direction="southbound",
            occurred_at="2026-06-14T20:30",
            lat=str(event.lat),
            lon=str(event.lon),
            case_reference=event.case_reference,
            narrative=event.narrative,
        ),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.direction == "southbound"
    entry = (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="flowevent.update", object_id=str(event.pk))
        .get()
    )
    assert entry.details["before"] == {"direction": "northbound"}
    assert entry.details["after"] == {"direction": "southbound"}


def test_an_event_of_another_agency_or_out_of_sight_cannot_be_edited(world, client):
    login_verified(client, world.user("us_analyst"))
    for key in ("mx_shared", "mx_internal"):  # visible but theirs; invisible
        url = reverse("flows:event_update", args=[world.flow_events[key].pk])
        assert client.get(url).status_code == 404, key
        assert client.post(url, _form()).status_code == 404, key
    hidden = client.get(reverse("flows:event_update", args=[world.flow_events["mx_internal"].pk]))
    assert client.get(reverse("flows:event_update", args=[999999])).status_code == 404
    assert "HOTBLACK" not in hidden.content.decode()
    detail = client.get(reverse("flows:event_detail", args=[world.flow_events["mx_shared"].pk]))
    assert reverse("flows:event_update", args=[world.flow_events["mx_shared"].pk]) not in (
        detail.content.decode()
    )


def test_two_reports_are_linked_as_one_crossing_from_the_page(world, client):
    us_event = make_flow_event(
        agency=world.us, kind="turn_back", case_reference="US-TB", releasable_to=[world.mx]
    )
    mx_event = world.flow_events["mx_shared"]  # a turn-back reported by MX at the same time
    login_verified(client, world.user("us_analyst"))
    url = reverse("flows:event_link", args=[us_event.pk])
    response = client.post(url, {"other": mx_event.pk}, follow=True)
    assert "Linked as one crossing." in response.content.decode()
    us_event.refresh_from_db()
    mx_event.refresh_from_db()
    assert us_event.crossing and us_event.crossing == mx_event.crossing


def test_linking_to_an_event_out_of_sight_answers_like_a_missing_number(world, client):
    us_event = world.flow_events["us_internal"]
    login_verified(client, world.user("us_analyst"))
    url = reverse("flows:event_link", args=[us_event.pk])
    hidden = client.post(url, {"other": world.flow_events["mx_internal"].pk}, follow=True)
    missing = client.post(url, {"other": 999999}, follow=True)
    text = "No event with that number."
    assert text in hidden.content.decode() and text in missing.content.decode()
    assert (
        str(world.flow_events["mx_internal"].pk)
        not in hidden.content.decode().split("messages")[-1][:200]
    )
    us_event.refresh_from_db()
    assert us_event.crossing is None
    # And the page of an event out of sight does not exist either.
    hidden_url = reverse("flows:event_link", args=[world.flow_events["mx_internal"].pk])
    assert client.post(hidden_url, {"other": us_event.pk}).status_code == 404


def _api_post(client, path, payload):
    return client.post(path, json.dumps(payload), content_type="application/json")


def _api_patch(client, path, payload):
    return client.patch(path, json.dumps(payload), content_type="application/json")


def test_api_takes_every_kind_of_item_and_returns_them(world, client):
    ExchangeRate.objects.create(date=dt.date(2026, 5, 29), currency="MXN", usd_per_unit="0.058")
    login_verified(client, world.user("mx_analyst"))
    payload = {
        "kind": "seizure",
        "direction": "southbound",
        "occurred_at": "2026-06-01T10:00:00Z",
        "lon": -110.95,
        "lat": 31.33,
        "releasable_to": ["USBP"],
        "items": {
            "currency": [{"amount": "250000", "currency": "MXN"}],
            "firearms": [{"type": "handgun", "make": "Glock", "calibre": "9mm", "serial": "X1"}],
            "ammunition": [{"rounds": 500, "calibre": "7.62x39"}],
            "persons": [{"count": 2, "nationality": "MX"}],
            "vehicles": [{"plate": "AZ123", "state": "Arizona"}],
        },
    }
    response = _api_post(client, "/api/flows/events", payload)
    assert response.status_code == 201, response.content
    items = response.json()["items"]
    assert items["firearms"][0]["make"] == "Glock"
    assert items["ammunition"][0]["rounds"] == 500
    assert items["persons"] == [{"count": 2, "nationality": "MX"}]
    assert items["vehicles"][0]["plate"] == "AZ123"
    assert items["currency"][0]["currency"] == "MXN"
    assert items["currency"][0]["usd_amount"] == "14500.00"
    assert items["currency"][0]["rate_date"] == "2026-05-29"
    again = client.get(f"/api/flows/events/{response.json()['id']}").json()
    assert again["items"] == items


def test_api_bad_item_names_its_field_and_writes_nothing(world, client):
    login_verified(client, world.user("us_analyst"))
    before = _events().count()
    payload = {
        "kind": "seizure",
        "occurred_at": "2026-06-01T10:00:00Z",
        "lon": -110.95,
        "lat": 31.34,
        "items": {"firearms": [{"type": "bazooka"}]},
    }
    response = _api_post(client, "/api/flows/events", payload)
    assert response.status_code == 422 and response.json()["field"] == "type"
    assert _events().count() == before


def test_api_patch_changes_own_events_only(world, client):
    login_verified(client, world.user("us_analyst"))
    own = world.flow_events["us_shared"]
    response = _api_patch(client, f"/api/flows/events/{own.pk}", {"narrative": "Corrected."})
    assert response.status_code == 200 and response.json()["narrative"] == "Corrected."
    moved = _api_patch(client, f"/api/flows/events/{own.pk}", {"lat": 33.9})
    assert moved.status_code == 422 and moved.json()["field"] == "location"
    empty = _api_patch(client, f"/api/flows/events/{own.pk}", {"kind": None})
    assert empty.status_code == 422 and empty.json()["field"] == "kind"
    theirs = _api_patch(
        client, f"/api/flows/events/{world.flow_events['mx_shared'].pk}", {"narrative": "x"}
    )
    hidden = _api_patch(
        client, f"/api/flows/events/{world.flow_events['mx_internal'].pk}", {"narrative": "x"}
    )
    missing = _api_patch(client, "/api/flows/events/999999", {"narrative": "x"})
    assert theirs.status_code == hidden.status_code == missing.status_code == 404
    assert theirs.content == hidden.content == missing.content


def test_api_link_and_its_refusals(world, client):
    us_event = make_flow_event(
        agency=world.us, kind="turn_back", case_reference="US-TB2", releasable_to=[world.mx]
    )
    login_verified(client, world.user("us_analyst"))
    path = f"/api/flows/events/{us_event.pk}/link"
    hidden = _api_post(client, path, {"other_id": world.flow_events["mx_internal"].pk})
    missing = _api_post(client, path, {"other_id": 999999})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    wrong_kind = _api_post(client, path, {"other_id": world.flow_events["us_shared"].pk})
    assert wrong_kind.status_code == 422 and wrong_kind.json()["field"] == "kind"
    linked = _api_post(client, path, {"other_id": world.flow_events["mx_shared"].pk})
    assert linked.status_code == 200 and linked.json()["crossing"].startswith("X-")


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ({"drugs": [{"category": "cocaine", "quantity": "1e30", "unit": "kg"}]}, "quantity"),
        ({"currency": [{"amount": "1e30", "currency": "USD"}]}, "amount"),
    ],
)
def test_api_absurd_quantities_are_refused_naming_the_field(world, client, items, field):
    login_verified(client, world.user("us_analyst"))
    before = _events().count()
    payload = {
        "kind": "seizure",
        "occurred_at": "2026-06-01T10:00:00Z",
        "lon": -110.95,
        "lat": 31.34,
        "items": items,
    }
    response = _api_post(client, "/api/flows/events", payload)
    assert response.status_code == 422 and response.json()["field"] == field
    assert _events().count() == before
