# At most one published plan per operation, sector, date and shift (a partial unique index, on
# SQLite and PostgreSQL). A database that already holds two published plans of one shift (the
# race this closes) keeps the first published and marks the others withdrawn first.

from django.db import migrations, models


def withdraw_later_duplicates(apps, schema_editor):
    PatrolPlan = apps.get_model("patrols", "PatrolPlan")
    seen = set()
    published = PatrolPlan.objects.filter(status="published").order_by("published_at", "pk")
    for pk, *key in published.values_list("pk", "operation_id", "sector_id", "date", "shift"):
        key = tuple(key)
        if key in seen:
            PatrolPlan.objects.filter(pk=pk).update(status="withdrawn")
        seen.add(key)


class Migration(migrations.Migration):

    dependencies = [
        ("patrols", "0002_plans_in_shift_order"),
    ]

    operations = [
        migrations.RunPython(withdraw_later_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="patrolplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "published")),
                fields=("operation", "sector", "date", "shift"),
                name="patrolplan_one_published_per_shift",
            ),
        ),
    ]
