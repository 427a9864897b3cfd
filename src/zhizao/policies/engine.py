"""The seam between this app and the pure rule engine (``zhizao_core.policy``).

``check_rule`` is called by every service that stores or publishes a rule. For now it only
checks the shape (a JSON object); the engine's validation replaces the body of this function,
keeping its contract: return nothing when the rule is acceptable, raise ``PolicyError`` with
code ``invalid_rule`` and field ``rule`` when it is not."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import PolicyError


def check_rule(rule) -> None:
    if not isinstance(rule, dict):
        raise PolicyError("invalid_rule", _("The rule must be a JSON object."), field="rule")
