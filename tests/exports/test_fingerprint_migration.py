"""Migration 0003 of exports: records made before it carry fingerprint scheme 1, later ones 2.
(Transactional: it migrates the schema back and forth, so it has a module of its own.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_existing_records_scheme_1_and_new_ones_scheme_2(fresh_world):
    """Rows recorded before migration 0003 were made with scheme 1; later rows default to 2."""
    world = fresh_world
    before, after = (
        [("exports", "0002_recipient_agency")],
        [("exports", "0003_exportrecord_fingerprint_version")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Old = old_apps.get_model("exports", "ExportRecord")
    user, agency = world.user("us_analyst"), world.us
    Old.objects.create(
        export_id="EXP-OLD",
        recipient="Before",
        actor_id=user.pk,
        actor_agency_id=agency.pk,
        format="csv",
        object_type="intel.report",
        seed="ab" * 32,
        marking_id=world.reports["us_shared"].marking_id,
        marking_summary="",
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    New = new_apps.get_model("exports", "ExportRecord")
    assert New.objects.get(export_id="EXP-OLD").fingerprint_version == 1
    later = New.objects.create(
        export_id="EXP-NEW",
        recipient="After",
        actor_id=user.pk,
        actor_agency_id=agency.pk,
        format="csv",
        object_type="intel.report",
        seed="cd" * 32,
        marking_id=world.reports["us_shared"].marking_id,
        marking_summary="",
    )
    assert New.objects.get(pk=later.pk).fingerprint_version == 2
