"""The series pages and API: what any active reader sees, and the task force's own figures
beside the published ones, counted from the events that reader may see."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from world_flows import make_flow_event

from alianza.series.models import AggregateSeries
from alianza.series.services import series_import

from world import login_verified

CBP = (
    "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,"
    "Count of Event,Sum Qty (lbs)\n"
    "2026,JUN,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Marijuana,40,5000\n"
    "2026,MAY,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Marijuana,30,4000\n"
    "2026,JUN,Office of Field Operations,Southwest Border,Land Only,TUCSON FIELD OFFICE,"
    "Marijuana,7,700\n"
    "2026,JUN,U.S. Border Patrol,Southwest Border,Land Only,YUMA SECTOR,Cocaine,2,20\n"
    "2026,JUN,U.S. Border Patrol,Southwest Border,Land Only,YUMA SECTOR,Khat (Catha Edulis),1,0\n"
)


@pytest.fixture
def pounds(world):
    series_import(actor=None, data=CBP.encode(), source_file="cbp-test.csv")
    return AggregateSeries.objects.get(source_file="cbp-test.csv", measure="Sum Qty (lbs)")


def _seizure(world, *, reference, pounds, shared):
    return make_flow_event(
        agency=world.us,
        kind="seizure",
        case_reference=reference,
        releasable_to=[world.mx] if shared else [],
        when=dt.datetime(2026, 6, 10, 18, tzinfo=dt.UTC),
        items={"drugs": [{"category": "marijuana", "quantity": Decimal(pounds), "unit": "lb"}]},
    )


def test_list_shows_every_series_to_any_active_reader(world, client, pounds):
    login_verified(client, world.user("mx_analyst"))
    body = client.get("/series/").content.decode()
    assert "CBP drug seizures: pounds seized" in body and "cbp-test.csv" in body
    assert "Published statistics" in body  # the navigation link


def test_detail_sums_the_finest_areas_and_keeps_sector_and_field_office_apart(
    world, client, pounds
):
    login_verified(client, world.user("us_analyst"))
    body = client.get(f"/series/{pounds.pk}/").content.decode()
    assert 'id="chart-series" src="data:image/png;base64,' in body
    assert 'id="series-total">9720<' in body  # every area, both components
    sector = client.get(f"/series/{pounds.pk}/?area=TUCSON+SECTOR").content.decode()
    assert 'id="series-total">9000<' in sector
    office = client.get(f"/series/{pounds.pk}/?area=TUCSON+FIELD+OFFICE").content.decode()
    assert 'id="series-total">700<' in office
    assert "chart-comparison" not in office  # the ports are not the task force's area


def test_task_force_figures_come_only_from_events_the_reader_may_see(world, client, pounds):
    _seizure(world, reference="SEIZE-SHARED", pounds="100", shared=True)
    _seizure(world, reference="SEIZE-INTERNAL", pounds="50", shared=False)
    url = f"/series/{pounds.pk}/?area=TUCSON+SECTOR&drug_type=Marijuana"
    login_verified(client, world.user("us_analyst"))
    us = client.get(url).content.decode()
    assert 'id="chart-comparison"' in us and 'id="task-force-total">150<' in us
    client.logout()
    login_verified(client, world.user("mx_analyst"))
    mx = client.get(url).content.decode()
    assert 'id="task-force-total">100<' in mx


def test_no_comparison_without_tucson_sector_and_a_hint_to_choose_it(world, client, pounds):
    login_verified(client, world.user("us_analyst"))
    body = client.get(f"/series/{pounds.pk}/").content.decode()
    assert 'id="comparison-message"' in body and "area=TUCSON+SECTOR" in body
    other = client.get(f"/series/{pounds.pk}/?area=TUCSON+SECTOR&drug_type=Khat+(Catha+Edulis)")
    assert "chart-comparison" not in other.content.decode()
    assert "does not count Khat" in other.content.decode()


def test_api_lists_and_sums_per_period(world, client, pounds):
    login_verified(client, world.user("mx_analyst"))
    listing = json.loads(client.get("/api/series").content)
    assert listing["count"] == 2
    detail = json.loads(client.get(f"/api/series/{pounds.pk}?area=TUCSON%20SECTOR").content)
    assert [(p["label"], p["value"]) for p in detail["points"]] == [
        ("2026-05", 4000.0),
        ("2026-06", 5000.0),
    ]
    assert detail["unit"] == "lb" and detail["area"] == "TUCSON SECTOR"


def test_inactive_and_anonymous_readers_get_nothing(world, client, pounds):
    assert client.get("/api/series").status_code == 401
    assert client.get(f"/series/{pounds.pk}/").status_code == 302
    login_verified(client, world.user("us_inactive"))
    assert client.get(f"/series/{pounds.pk}/").status_code == 404
    assert client.get(f"/api/series/{pounds.pk}").status_code == 404
    assert client.get("/api/series/987654").status_code == 404
