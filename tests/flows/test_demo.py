import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from alianza.flows.models import FlowEvent
from alianza.flows.selectors import border_effectiveness

pytestmark = pytest.mark.django_db


def _count():
    return FlowEvent.objects.unrestricted(reason="test").count()


def test_demo_flows_are_reproducible_idempotent_and_differ_by_reader():
    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
    first = _count()
    crossings = set(
        FlowEvent.objects.unrestricted(reason="test")
        .exclude(crossing=None)
        .values_list("external_id", flat=True)
    )
    assert first > 50 and crossings
    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
    assert _count() == first
    users = get_user_model().objects
    us = FlowEvent.objects.visible_to(users.get(username="us.analyst")).count()
    mx = FlowEvent.objects.visible_to(users.get(username="mx.analyst")).count()
    assert 0 < mx < first and 0 < us < first and us != mx
    rates = [
        row.rate
        for row in border_effectiveness(reader=users.get(username="us.analyst"))
        if row.rate is not None
    ]
    assert rates and all(0.5 < rate < 1 for rate in rates)
