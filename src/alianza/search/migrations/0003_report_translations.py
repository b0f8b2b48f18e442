from django.db import migrations


def reindex_with_translations(apps, schema_editor):
    from alianza.search.index import index_kinds, unindex_kinds

    unindex_kinds(schema_editor.connection, ["report"])
    index_kinds(schema_editor.connection, ["report"])


def reindex_without(apps, schema_editor):
    from alianza.search.index import INITIAL_SPECS, index_kinds, unindex_kinds

    unindex_kinds(schema_editor.connection, ["report"])
    index_kinds(schema_editor.connection, ["report"], specs=INITIAL_SPECS)


class Migration(migrations.Migration):
    """A report's translation (title and text) is searched with the report."""

    dependencies = [
        ("search", "0002_entities"),
        ("intel", "0005_report_translation"),
    ]

    operations = [migrations.RunPython(reindex_with_translations, reindex_without)]
