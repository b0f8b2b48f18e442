# Plans list their shifts in time order (day, swing, night): an ordering expression only.

import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('patrols', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='patrolplan',
            options={'ordering': ['-date', models.OrderBy(models.Case(models.When(django.db.models.lookups.Exact(models.F('shift'), 'day'), then=models.Value(6)), models.When(django.db.models.lookups.Exact(models.F('shift'), 'swing'), then=models.Value(14)), models.When(django.db.models.lookups.Exact(models.F('shift'), 'night'), then=models.Value(22)), default=models.Value(24), output_field=models.IntegerField())), '-created_at'], 'verbose_name': 'patrol plan', 'verbose_name_plural': 'patrol plans'},
        ),
    ]
