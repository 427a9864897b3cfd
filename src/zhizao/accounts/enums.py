from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The role a user plays in one organisation. A user may hold several memberships."""

    OPERATOR = "operator", _("Platform operator")
    OFFICER = "officer", _("Government officer")
    ENTERPRISE = "enterprise", _("Enterprise")
    PROVIDER = "provider", _("Solution provider")
    BANK = "bank", _("Financial institution")
    EXPERT = "expert", _("Expert")
    SOCIETY = "society", _("Member society")


# Roles that see the whole registry, its contacts, and may export.
STAFF_ROLES = frozenset({Role.OPERATOR, Role.OFFICER})
# Roles that act for their own organisation and may edit its profile.
ORGANIZATION_ROLES = frozenset({Role.ENTERPRISE, Role.PROVIDER, Role.BANK, Role.SOCIETY})
# Roles that publish offerings in matchmaking.
SUPPLIER_ROLES = frozenset({Role.PROVIDER, Role.BANK})


class TokenRevocation(models.TextChoices):
    """Why an API token stopped working before it expired."""

    USER = "user", _("Revoked by its owner")
    ROTATED = "rotated", _("Replaced by a new token")
    OPERATOR = "operator", _("Revoked by an operator")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset by an operator")
    USER_DEACTIVATED = "user_deactivated", _("Account deactivated")
    MEMBERSHIP_DEACTIVATED = "membership_deactivated", _("A membership was deactivated")
