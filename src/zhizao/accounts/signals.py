"""A new password stops the user's API tokens, whichever way it was set.

The services (``change_password``, ``reset_password``) revoke with their actor named in the
audit. Other paths that set a password — ``manage.py changepassword``, the admin's password
form, a shell — call ``User.set_password`` and ``save`` without them; this receiver closes that
class of paths: after any save that stored a new password hash, every working token of that
user is revoked (audited as the system).
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from zhizao.common.audit import SYSTEM

from .enums import TokenRevocation
from .models import User
from .services import revoke_user_tokens


@receiver(pre_save, sender=User, dispatch_uid="zhizao_password_set_before_save")
def _note_new_password(sender, instance: User, raw: bool = False, **kwargs) -> None:
    # ``set_password`` keeps the raw password in ``_password`` until the save.
    instance._zhizao_new_password = (
        not raw and instance.pk is not None and getattr(instance, "_password", None) is not None
    )


@receiver(post_save, sender=User, dispatch_uid="zhizao_revoke_tokens_on_new_password")
def revoke_tokens_on_new_password(sender, instance: User, created: bool, **kwargs) -> None:
    if created or not getattr(instance, "_zhizao_new_password", False):
        return
    instance._zhizao_new_password = False
    revoke_user_tokens(SYSTEM, instance, reason=TokenRevocation.PASSWORD_CHANGED)
