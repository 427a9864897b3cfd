"""Django's admin application with the platform's site (``admin_site.PlatformAdminSite``): no
login form of its own, open to operators only. Kept apart from ``apps.py``, where a second
AppConfig class would make the accounts app's default ambiguous."""

from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    default_site = "zhizao.accounts.admin_site.PlatformAdminSite"
