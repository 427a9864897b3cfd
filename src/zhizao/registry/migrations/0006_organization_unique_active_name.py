# The unique index comes in its own migration (its own transaction on PostgreSQL), after 0005
# has filled ``name_key`` for every row.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_organization_name_key_name_changes'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='organization',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('name_key',), name='registry_org_active_name_unique', violation_error_message='This name is already used by another organisation in the registry.'),
        ),
    ]
