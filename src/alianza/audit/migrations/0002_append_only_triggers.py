"""The database itself refuses UPDATE and DELETE on the audit table."""

from django.db import migrations


def create(apps, schema_editor):
    from alianza.audit.triggers import triggers_create

    triggers_create(schema_editor.connection)


def drop(apps, schema_editor):
    from alianza.audit.triggers import triggers_drop

    triggers_drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
