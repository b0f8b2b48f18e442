"""`alianza demo` loads the real published series from the bundled copies, once."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from alianza.series.bundled import BUNDLED
from alianza.series.formats import FORMATS
from alianza.series.models import AggregateSeries, SeriesObservation

from world import login_verified

pytestmark = pytest.mark.django_db


def test_demo_loads_the_bundled_series_once_and_sets_task_force_figures_beside_them(client):
    call_command("demo", "--no-serve", "--scale", "0.3", verbosity=0)
    expected = sum(len(FORMATS[item.kind].measures) for item in BUNDLED)
    assert AggregateSeries.objects.count() == expected
    stamps = dict(AggregateSeries.objects.values_list("code", "imported_at"))
    observations = SeriesObservation.objects.count()
    call_command("demo", "--no-serve", "--scale", "0.3", verbosity=0)
    assert dict(AggregateSeries.objects.values_list("code", "imported_at")) == stamps
    assert SeriesObservation.objects.count() == observations
    pounds = AggregateSeries.objects.get(
        source_file="cbp-drugs-arizona-fy23-fy26-dec.csv", measure="Sum Qty (lbs)"
    )
    assert pounds.source_url.startswith("https://www.cbp.gov/")
    login_verified(client, get_user_model().objects.get(username="us.analyst"))
    body = client.get(f"/series/{pounds.pk}/?area=TUCSON+SECTOR").content.decode()
    total = re.search(r'id="task-force-total">([\d.,]+)<', body)
    assert total and float(total.group(1).replace(",", "")) > 0
