"""Django admin for accounts: read-mostly, for support. Day-to-day user management is on the
operators' pages (``accounts:user_list``), which audit every change; the admin does not."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("organization",)
    fields = ("organization", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "display_name",
        "email",
        "is_active",
        "totp_enabled",
        "locked_until",
        "last_login",
    )
    list_filter = ("is_active", "totp_enabled", "memberships__role")
    search_fields = ("username", "display_name", "email", "phone")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Platform"),
            {
                "fields": (
                    "display_name",
                    "phone",
                    "failed_login_count",
                    "locked_until",
                    "totp_enabled",
                )
            },
        ),
    )
    # The TOTP secret is never shown; two-factor login is set up by the user themselves.
    readonly_fields = ("failed_login_count", "totp_enabled", "last_login", "date_joined")
    inlines = (MembershipInline,)

    def user_change_password(self, request, id, form_url=""):
        """Operators reset passwords on the user management page, which audits the reset,
        ends the waits and revokes the user's API tokens."""
        return redirect("accounts:user_detail", int(id))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = (
        "user__username",
        "user__display_name",
        "organization__name",
        "organization__uscc",
    )
    raw_id_fields = ("user", "organization")
