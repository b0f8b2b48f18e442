from django.db import migrations


def fold_punctuation(apps, schema_editor):
    from alianza.search.index import refold

    refold(schema_editor.connection, fold_punctuation=True)


def keep_punctuation(apps, schema_editor):
    from alianza.search.index import refold

    refold(schema_editor.connection, fold_punctuation=False)


class Migration(migrations.Migration):
    """PostgreSQL cuts indexed text and queries into words at punctuation, as SQLite's FTS5
    does: "2222" finds "(631) 111-2222", which PostgreSQL's parser reads as 631, 111, -2222."""

    dependencies = [("search", "0003_report_translations")]

    operations = [migrations.RunPython(fold_punctuation, keep_punctuation)]
