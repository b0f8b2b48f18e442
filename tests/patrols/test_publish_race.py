"""Two drafts of one shift published at the same moment, each in its own transaction and
connection: exactly one is published, the other refused with the usual message. Needs
PostgreSQL (SQLite runs one writing transaction at a time, so there is no race to lose)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from world_patrols import TODAY

from alianza.patrols import services
from alianza.patrols.models import PatrolPlan
from alianza.patrols.services import plan_generate, plan_publish

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]
ONE_TRUCK = {"max_crews": {"truck": 1, "atv": 0}}


@pytest.fixture
def world(fresh_world):
    """Committed, not shared: the threads publish on their own connections."""
    return fresh_world


def test_two_drafts_of_a_shift_published_at_once_give_one_published_plan(pw, monkeypatch):
    supervisor = pw.user("us_supervisor")
    drafts = [
        plan_generate(
            actor=supervisor,
            operation=pw.operation,
            sector=pw.sector,
            date=TODAY + dt.timedelta(days=2),
            shift="night",
            seed=seed,
            method=ONE_TRUCK,
        )
        for seed in (7, 8)
    ]
    # Both publishes hold their own plan's lock and have passed the permission check before
    # either goes on: without a lock or a constraint both would find no published plan.
    both_in = threading.Barrier(2)
    require = services.require_supervisor

    def require_then_wait(actor, operation):
        require(actor, operation)
        both_in.wait(timeout=60)  # a guard against a hang, not a timing assertion

    monkeypatch.setattr(services, "require_supervisor", require_then_wait)
    outcomes: dict[int, object] = {}

    def publish(plan):
        try:
            plan_publish(actor=supervisor, plan=plan)
            outcomes[plan.pk] = "published"
        except ValidationError as error:
            outcomes[plan.pk] = error
        except Exception as error:  # noqa: BLE001 - reported below
            outcomes[plan.pk] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(plan,)) for plan in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    published = [pk for pk, outcome in outcomes.items() if outcome == "published"]
    refused = [outcome for outcome in outcomes.values() if outcome != "published"]
    assert len(published) == 1 and len(refused) == 1, outcomes
    [error] = refused
    assert isinstance(error, ValidationError), error
    assert f"already published: plan {published[0]}" in " ".join(error.message_dict["status"])
    statuses = dict(PatrolPlan.objects.unrestricted(reason="test").values_list("pk", "status"))
    assert sorted(statuses.values()) == ["draft", "published"]
