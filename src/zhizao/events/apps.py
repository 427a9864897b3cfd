from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "zhizao.events"
    verbose_name = _("Events and expo")
    default_auto_field = "django.db.models.BigAutoField"
