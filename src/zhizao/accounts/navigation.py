"""The accounts app's entry in the side navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import register_nav

from .selectors import can_manage_users

register_nav(
    "accounts:user_list",
    label=_("Users and roles"),
    icon="users",
    order=90,
    active_on=("accounts:user_detail", "accounts:user_new"),
    visible=can_manage_users,
)
