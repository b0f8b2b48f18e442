from django.db import migrations

KINDS = ("entity", "alias")


def create(apps, schema_editor):
    from alianza.search.index import index_kinds

    index_kinds(schema_editor.connection, KINDS)


def drop(apps, schema_editor):
    from alianza.search.index import unindex_kinds

    unindex_kinds(schema_editor.connection, KINDS)


class Migration(migrations.Migration):
    """Entities (label and normalised selector) and the aliases reports used for them (one
    indexed row per mention, so an alias counts only through a report the reader may see)."""

    dependencies = [
        ("search", "0001_fulltext_index"),
        ("intel", "0006_mention_label"),
    ]

    operations = [migrations.RunPython(create, drop)]
