from __future__ import annotations

from .navigation import nav_items
from .notifications import unread_count


def platform(request) -> dict:
    if not hasattr(request, "user"):
        return {}
    membership = getattr(request, "membership", None)
    return {
        "unread_notifications": unread_count(membership) if membership is not None else 0,
        "current_membership": membership,
        "memberships": getattr(request, "memberships", []),
        # each app registers its own entries (zhizao.common.navigation)
        "nav_items": nav_items(request, membership),
    }
