"""Platform notifications (通知): one write path, ``notify``, and the reads the 通知 page and
the header badge use. Any app may call ``notify``; nothing else writes the table."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from .models import Notification


def notify(organization, *, title: str, body: str = "", link: str = "", user=None) -> Notification:
    """A notification to an organisation (all its members), or to one ``user`` of it.
    ``link`` is a relative URL on this site; anything else is dropped."""
    if not link.startswith("/") or link.startswith("//"):
        link = ""
    return Notification.objects.create(
        recipient_organization=organization,
        recipient_user=user,
        title=title[:200],
        body=body,
        link=link[:500],
    )


def notifications_for(membership):
    """The acting organisation's notifications addressed to it or to this user, newest first."""
    if membership is None:
        return Notification.objects.none()
    return Notification.objects.filter(
        Q(recipient_user__isnull=True) | Q(recipient_user_id=membership.user_id),
        recipient_organization_id=membership.organization_id,
    )


def unread_count(membership) -> int:
    """One query."""
    return notifications_for(membership).filter(read_at__isnull=True).count()


def mark_read(membership, *, pk: int | None = None) -> int:
    """Mark one (``pk``) or all of the acting organisation's notifications read; returns how
    many changed. Someone else's notification is simply not found (0)."""
    qs = notifications_for(membership).filter(read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
