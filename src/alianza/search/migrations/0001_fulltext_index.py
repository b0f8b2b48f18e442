from django.db import migrations


def create(apps, schema_editor):
    from alianza.search.index import create_fts

    create_fts(schema_editor.connection, fold_punctuation=False)


def drop(apps, schema_editor):
    from alianza.search.index import drop_fts

    drop_fts(schema_editor.connection)


class Migration(migrations.Migration):
    """Full-text index of reports and tearlines: FTS5 + triggers on SQLite, GIN expression
    indexes (Spanish + English) on PostgreSQL. Other vendors get no index (search finds nothing)."""

    dependencies = [("intel", "0002_requestforinformation_resharerequest_tearline")]

    operations = [migrations.RunPython(create, drop)]
