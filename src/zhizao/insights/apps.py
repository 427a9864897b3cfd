from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "zhizao.insights"
    verbose_name = _("Insights and the monthly report")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app registers its figures and report activities in its own ``insights.py``.
        autodiscover_modules("insights")
        from . import dirty

        dirty.connect()
