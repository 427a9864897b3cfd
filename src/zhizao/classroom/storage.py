"""Where lesson videos are kept and how a browser reaches them.

The videos live in ``STORAGES[settings.ZHIZAO_CLASSROOM_STORAGE]``: a local folder by default,
an S3-compatible bucket (django-storages' ``S3Storage``) when ``ZHIZAO_CLASSROOM_S3_BUCKET`` is
set (see ``settings.py`` and ``docs/classroom.md``). The model field holds ``video_storage``, a
lazy handle that looks the alias up when first used and again after the settings change, so a
test (or a deployment) can point the classroom at another store without touching the field.

``signed_url`` tells the video view whether the store can hand the browser a short-lived signed
address of its own: then the view redirects there and no web worker carries the bytes; for a
local folder it returns ``None`` and the view serves the ranges itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _ClassroomStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[settings.ZHIZAO_CLASSROOM_STORAGE]


video_storage = _ClassroomStorage()


@receiver(setting_changed)
def _forget_storage(*, setting, **kwargs):
    if setting in {"STORAGES", "ZHIZAO_CLASSROOM_STORAGE"}:
        video_storage._wrapped = empty


def signed_url(storage, name: str, seconds: int) -> str | None:
    """A signed URL for ``name`` valid ``seconds``, or ``None`` when the store gives none.

    Only an S3 store that signs its URLs qualifies: one with ``querystring_auth`` and either no
    custom domain or a CloudFront signer for it (a custom domain alone gives a plain, unsigned
    address, which would let anyone holding it watch the video).
    """
    try:  # boto3 is imported only when a video is asked for
        from storages.backends.s3 import S3Storage
    except ImportError:  # without django-storages no store can be S3
        return None

    if not isinstance(storage, S3Storage) or not storage.querystring_auth:
        return None
    if storage.custom_domain and not storage.cloudfront_signer:
        return None
    return storage.url(name, expire=seconds)
