from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "zhizao.diagnosis"
    verbose_name = _("Maturity diagnosis")
    default_auto_field = "django.db.models.BigAutoField"
