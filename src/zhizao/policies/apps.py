from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "zhizao.policies"
    verbose_name = _("Policies and transformation projects")
    default_auto_field = "django.db.models.BigAutoField"
