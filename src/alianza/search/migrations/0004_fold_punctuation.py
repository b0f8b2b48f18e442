from django.db import migrations

# The indexed tables and columns as they are at this migration (later ones may add more).
SPECS = {
    "report": ("intel_report", "title", ("body", "translated_title", "translated_body")),
    "tearline": ("intel_tearline", "title", "body"),
    "entity": ("intel_entity", "label", "selector"),
    "alias": ("intel_mention", "alias", "label"),
}


def fold_punctuation(apps, schema_editor):
    from alianza.search.index import refold

    refold(schema_editor.connection, fold_punctuation=True, specs=SPECS)


def keep_punctuation(apps, schema_editor):
    from alianza.search.index import refold

    refold(schema_editor.connection, fold_punctuation=False, specs=SPECS)


class Migration(migrations.Migration):
    """PostgreSQL cuts indexed text and queries into words at punctuation, as SQLite's FTS5
    does: "2222" finds "(631) 111-2222", which PostgreSQL's parser reads as 631, 111, -2222."""

    dependencies = [("search", "0003_report_translations")]

    operations = [migrations.RunPython(fold_punctuation, keep_punctuation)]
