from django.core.management.base import BaseCommand

from zhizao.registry.services.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the shipped reference data: GB/T 2260 regions, GB/T 4754-2017 industries and "
        "the example clusters and chains. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update-examples",
            action="store_true",
            help="Overwrite edited clusters and chains with the shipped examples.",
        )

    def handle(self, *args, update_examples: bool = False, **options):
        result = load_reference_data(update_examples=update_examples)
        self.stdout.write(
            f"regions={result.regions} industries={result.industries} clusters={result.clusters} "
            f"chains={result.chains} nodes={result.nodes}"
        )
