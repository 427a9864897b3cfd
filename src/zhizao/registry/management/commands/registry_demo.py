"""``zhizao registry demo [--size N] [--seed S]``: realistic demo organisations and one demo
account per role. Idempotent: running it again adds nothing and prints the accounts again."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhizao.accounts.demo import ensure_demo_accounts
from zhizao.registry.services.demo import designate_chain_leaders, load_demo_organizations
from zhizao_core.demo import DEMO_SEED


class Command(BaseCommand):
    help = "Load deterministic demo organisations (default 2,000) and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=DEMO_SEED)
        parser.add_argument("--no-accounts", action="store_true")

    def handle(self, *args, size: int, seed: int, no_accounts: bool, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused when ZHIZAO_ENV=production.")
        started = time.monotonic()
        last = [0.0]

        def progress(done: int) -> None:
            now = time.monotonic()
            if now - last[0] > 2 or done >= size:
                last[0] = now
                self.stderr.write(f"  demo organisations: {done:,}/{size:,}")

        result = load_demo_organizations(size=size, seed=seed, progress=progress)
        leaders = designate_chain_leaders()
        self.stdout.write(
            f"Demo organisations: {result.created:,} created, {result.existing:,} already there "
            f"({time.monotonic() - started:.1f} s); chain leaders designated: {leaders}."
        )
        if no_accounts:
            return
        accounts = ensure_demo_accounts()
        self.stdout.write("")
        self.stdout.write("Demo accounts (user name / password — role, organisation):")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<12} {account.password:<16} "
                f"{account.role_label} · {account.organization}"
            )
