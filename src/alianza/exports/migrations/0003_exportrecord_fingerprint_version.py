"""Export records name their fingerprint scheme: the rows recorded so far were made with
scheme 1 (raw-token windows, spacing varied), every new export with scheme 2 (words only)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exports', '0002_recipient_agency'),
    ]

    operations = [
        # Existing rows: scheme 1.
        migrations.AddField(
            model_name='exportrecord',
            name='fingerprint_version',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='fingerprint scheme'),
        ),
        # New rows: scheme 2 (the service also sets it explicitly).
        migrations.AlterField(
            model_name='exportrecord',
            name='fingerprint_version',
            field=models.PositiveSmallIntegerField(default=2, verbose_name='fingerprint scheme'),
        ),
    ]
