from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "zhizao.calls"
    verbose_name = _("Calls and applications")
    default_auto_field = "django.db.models.BigAutoField"
