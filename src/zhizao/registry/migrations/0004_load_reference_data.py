"""Load the shipped reference data (GB/T 2260 regions, GB/T 4754-2017 industries, the example
clusters and chains) so that every migrated database can take an import at once.

The loader is the one ``zhizao registry load-reference`` runs, given this migration's
historical models; it is an upsert, so running the command afterwards changes nothing.
"""

from django.db import migrations


def load_reference_data(apps, schema_editor):
    from zhizao.registry.services.reference import ReferenceModels
    from zhizao.registry.services.reference import load_reference_data as load

    load(
        models=ReferenceModels(
            region=apps.get_model("registry", "Region"),
            industry=apps.get_model("registry", "Industry"),
            cluster=apps.get_model("registry", "Cluster"),
            chain=apps.get_model("registry", "IndustrialChain"),
            node=apps.get_model("registry", "ChainNode"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_active_indexes"),
    ]

    operations = [
        migrations.RunPython(load_reference_data, migrations.RunPython.noop, elidable=False),
    ]
