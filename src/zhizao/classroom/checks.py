"""System checks of the classroom's video store."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def video_store(app_configs, **kwargs):
    alias = settings.ZHIZAO_CLASSROOM_STORAGE
    config = settings.STORAGES.get(alias)
    if config is None:
        return [
            Error(
                f"ZHIZAO_CLASSROOM_STORAGE names {alias!r}, which is not in STORAGES.",
                hint="Set ZHIZAO_CLASSROOM_S3_BUCKET, or name an alias of STORAGES.",
                id="classroom.E001",
            )
        ]
    options = config.get("OPTIONS", {})
    if (
        config.get("BACKEND") == "storages.backends.s3.S3Storage"
        and options.get("custom_domain")
        and not options.get("cloudfront_key_id")
    ):
        return [
            Warning(
                "The classroom's video bucket has a custom domain without a CloudFront key: "
                "its URLs cannot be signed, so web workers stream every video.",
                hint="Set ZHIZAO_CLASSROOM_S3_CLOUDFRONT_KEY_ID and _KEY, or drop the domain.",
                id="classroom.W001",
            )
        ]
    return []
