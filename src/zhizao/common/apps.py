from django.apps import AppConfig
from django.db.models.signals import pre_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "zhizao.common"
    label = "common"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from zhizao.accounts.selectors import can_view_audit_log

        from .navigation import autodiscover, register_nav

        register_nav("home", label=_("Workbench"), icon="home", order=10)
        register_nav(
            "audit_log",
            label=_("Audit log"),
            icon="audit",
            order=100,
            visible=can_view_audit_log,
        )
        register_nav("api-docs", label=_("API"), icon="api", order=110)
        # every other app lists its own entries and home-page blocks in its navigation.py
        autodiscover()

        from .cache import create_cache_tables

        # Before the migrations run: data migrations may already use the cache.
        pre_migrate.connect(create_cache_tables, sender=self, dispatch_uid="zhizao-cache-table")
