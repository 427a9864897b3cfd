from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "zhizao.matchmaking"
    verbose_name = _("Supply and demand matchmaking")
    default_auto_field = "django.db.models.BigAutoField"
