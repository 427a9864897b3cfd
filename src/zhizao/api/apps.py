from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhizao.api"
    label = "api"
    verbose_name = "API"
