"""The security table's world: built once per module inside one transaction that is rolled back
at the end; every test then runs in a savepoint of it (pytest-django's own per-test atomic), so
what one route does never reaches the next."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from tests.security.world import ROLES, build_world
from zhizao.matchmaking import index


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("security-media")
    with (
        override_settings(
            MEDIA_ROOT=media,
            STORAGES={
                **settings.STORAGES,
                "classroom": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(media / "classroom")},
                },
            },
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
            ZHIZAO_MATCH_EMBEDDER="none",
            # sessions in the local cache: one query less in each of the ~2,600 requests
            SESSION_ENGINE="django.contrib.sessions.backends.cache",
        ),
        django_db_blocker.unblock(),
    ):
        index.reset()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            w.media = media
            w.clients = {}
            for role in ROLES:
                client = Client()
                if w.users[role] is not None:
                    client.force_login(w.users[role])
                w.clients[role] = client
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            index.reset()


@pytest.fixture(autouse=True)
def _world_settings(_fast_settings, settings, world):
    """The world's files live in its own media folder (the shared fixture gives every test a
    fresh one); ranking without the embedding model, as the matchmaking tests do."""
    settings.MEDIA_ROOT = world.media
    settings.ZHIZAO_MATCH_EMBEDDER = "none"
