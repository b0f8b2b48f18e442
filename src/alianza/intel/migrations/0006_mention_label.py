from django.db import migrations, models

NAMED_KINDS = {"person", "organisation", "location"}


def move_labels_to_mentions(apps, schema_editor):
    """An entity's label came from the first report that named it; it now lives on that
    mention, and the entity keeps only what every mention implies (see graph.neutral_label)."""
    Entity = apps.get_model("intel", "Entity")
    Mention = apps.get_model("intel", "Mention")
    for entity in Entity.objects.all().iterator():
        first = Mention.objects.filter(entity=entity).order_by("pk").first()
        raw = first.alias if first is not None else entity.label
        neutral = raw.strip()[:200] if entity.kind in NAMED_KINDS else entity.selector[:200]
        if first is not None and entity.label and entity.label != first.alias:
            first.label = entity.label
            first.save(update_fields=["label"])
        if entity.label != neutral:
            entity.label = neutral
            entity.save(update_fields=["label"])


class Migration(migrations.Migration):
    dependencies = [("intel", "0005_report_translation")]

    operations = [
        migrations.AddField(
            model_name="mention",
            name="label",
            field=models.CharField(
                blank=True,
                help_text="What this report calls the entity; shown only to readers of the report.",
                max_length=200,
                verbose_name="label in this report",
            ),
        ),
        migrations.RunPython(move_labels_to_mentions, migrations.RunPython.noop),
    ]
