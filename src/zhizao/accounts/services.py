"""Writes for accounts: logging in (with lockout, rate limit and TOTP), choosing the acting
membership, and the operators' management of users and roles.

Every function here is the one write path for its action. Each runs in a transaction, records
its audit entry itself, and takes ``now`` as a parameter where time matters, so that tests can
fix it. Passwords and TOTP secrets never reach the audit log.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

import pyotp
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor, AuditAction, diff, record

from .enums import Role
from .models import Membership, User
from .selectors import (
    SESSION_KEY,
    MembershipChoice,
    actor_for_request,
    client_ip,
    memberships_for_user,
    set_request_membership,
)

# The model backend that a successful login is recorded against (two backends are configured).
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The rate limit counts attempts per client address in fixed windows of this length.
RATE_WINDOW_SECONDS = 5 * 60
# The second (TOTP) step must follow the password step within this time.
TOTP_PENDING_SECONDS = 5 * 60
TOTP_PENDING_KEY = "zhizao_totp_pending"
TOTP_ISSUER = "智造生态服务平台"
# TOTP codes of the previous, current and next 30-second step are accepted.
TOTP_VALID_WINDOW = 1

USER_FIELDS = ("username", "display_name", "email", "phone")


class LoginStatus(enum.StrEnum):
    OK = "ok"
    NEEDS_TOTP = "needs_totp"
    INVALID = "invalid"
    LOCKED = "locked"
    RATE_LIMITED = "rate_limited"
    # Only from the TOTP step: the code was already used, or the password step is too old.
    REUSED = "reused"
    EXPIRED = "expired"


@dataclass(frozen=True)
class LoginOutcome:
    status: LoginStatus
    user: User | None = None
    locked_until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status == LoginStatus.OK


# --- Login ----------------------------------------------------------------------------------


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _rate_count(request: HttpRequest, now: dt.datetime) -> int:
    """Count one attempt from the request's address; returns the attempts in this window."""
    ip = client_ip(request) or "unknown"
    window = int(now.timestamp()) // RATE_WINDOW_SECONDS
    key = f"zhizao:login-rate:{ip}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
        return 1


def _rate_limited(request: HttpRequest, actor: Actor, now: dt.datetime, username: str) -> bool:
    count = _rate_count(request, now)
    limit = settings.ZHIZAO_LOGIN_RATE_PER_IP
    if count <= limit:
        return False
    if count == limit + 1:
        # Recorded once per window and address, so that an attack does not flood the log.
        record(
            actor,
            AuditAction.LOGIN_FAILED,
            None,
            object_repr=username[:150],
            context={"reason": "rate_limited"},
        )
    return True


def _request_actor(request: HttpRequest, user: User | None = None) -> Actor:
    return Actor(user=user, ip_address=client_ip(request))


def _register_failure(user: User, actor: Actor, now: dt.datetime, reason: str) -> LoginOutcome:
    """Count a failed attempt with one conditional UPDATE; lock at the configured maximum.

    An expired lock starts a fresh count. Only the request whose UPDATE sets ``locked_until``
    records the LOCKED entry, so concurrent failures lock once.
    """
    expired = Q(locked_until__isnull=False, locked_until__lte=now)
    User.objects.filter(pk=user.pk).update(
        failed_login_count=Case(When(expired, then=Value(1)), default=F("failed_login_count") + 1),
        locked_until=Case(When(expired, then=Value(None)), default=F("locked_until")),
    )
    until = now + dt.timedelta(minutes=settings.ZHIZAO_LOGIN_LOCK_MINUTES)
    locked = User.objects.filter(
        pk=user.pk,
        failed_login_count__gte=settings.ZHIZAO_LOGIN_MAX_FAILURES,
        locked_until__isnull=True,
    ).update(locked_until=until)
    user.refresh_from_db(fields=["failed_login_count", "locked_until"])
    record(
        actor,
        AuditAction.LOGIN_FAILED,
        user,
        context={"reason": reason, "failed_login_count": user.failed_login_count},
    )
    if locked:
        record(
            actor,
            AuditAction.LOCKED,
            user,
            changes={"locked_until": [None, until.isoformat()]},
            context={"failed_login_count": user.failed_login_count},
        )
        return LoginOutcome(LoginStatus.LOCKED, user=None, locked_until=until)
    return LoginOutcome(LoginStatus.INVALID)


def _complete_login(
    request: HttpRequest, user: User, actor: Actor, *, method: str, totp_step: int | None = None
) -> LoginOutcome:
    updates: dict[str, Any] = {"failed_login_count": 0, "locked_until": None}
    if totp_step is not None:
        updates["totp_last_step"] = totp_step
    User.objects.filter(pk=user.pk).update(**updates)
    for field, value in updates.items():
        setattr(user, field, value)
    request.session.pop(TOTP_PENDING_KEY, None)
    auth.login(request, user, backend=LOGIN_BACKEND)
    record(actor, AuditAction.LOGIN, user, context={"method": method})
    return LoginOutcome(LoginStatus.OK, user=user)


@transaction.atomic
def authenticate_user(
    request: HttpRequest, *, username: str, password: str, now: dt.datetime | None = None
) -> LoginOutcome:
    """The password step of a login.

    Order of checks: the address's rate limit (the password is not looked at when exceeded),
    then the user (unknown and inactive users get the same answer as a wrong password, after
    the same hashing work), then the lock, then the password. A right password ends the login
    unless the user has two-factor login, in which case the session remembers the user for
    ``verify_totp_step`` and the failure count stays until the code is right too.
    """
    now = _now(now)
    username = (username or "").strip()
    if _rate_limited(request, _request_actor(request), now, username):
        return LoginOutcome(LoginStatus.RATE_LIMITED)
    user = User.objects.filter(username=username).first()
    if user is None:
        make_password(password)  # the same hashing work as for a known user
        record(
            _request_actor(request),
            AuditAction.LOGIN_FAILED,
            None,
            object_repr=username[:150],
            context={"reason": "unknown_user"},
        )
        return LoginOutcome(LoginStatus.INVALID)
    actor = _request_actor(request, user)
    if user.is_locked(now):
        make_password(password)
        record(actor, AuditAction.LOGIN_FAILED, user, context={"reason": "locked"})
        return LoginOutcome(LoginStatus.LOCKED, locked_until=user.locked_until)
    if not user.check_password(password):
        return _register_failure(user, actor, now, "wrong_password")
    if not user.is_active:
        record(actor, AuditAction.LOGIN_FAILED, user, context={"reason": "inactive"})
        return LoginOutcome(LoginStatus.INVALID)
    if user.totp_enabled:
        request.session[TOTP_PENDING_KEY] = {"user_id": user.pk, "at": now.timestamp()}
        return LoginOutcome(LoginStatus.NEEDS_TOTP, user=user)
    return _complete_login(request, user, actor, method="password")


def pending_totp_user(request: HttpRequest, *, now: dt.datetime | None = None) -> User | None:
    """The user who passed the password step in this session less than 5 minutes ago."""
    pending = request.session.get(TOTP_PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    age = _now(now).timestamp() - float(pending.get("at", 0))
    if age < 0 or age > TOTP_PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending.get("user_id"), is_active=True, totp_enabled=True).first()


def _totp_step(secret: str, code: str, now: dt.datetime) -> int | None:
    code = (code or "").strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()) or not secret:
        return None
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(
            code, for_time=now, valid_window=TOTP_VALID_WINDOW
        )
    except pyotp.OTPVerificationError:
        return None


@transaction.atomic
def verify_totp_step(
    request: HttpRequest, *, code: str, now: dt.datetime | None = None
) -> LoginOutcome:
    """The second step of a login: a TOTP code of the pending user, each time step used once.

    Wrong and reused codes count towards the same lockout as wrong passwords.
    """
    now = _now(now)
    user = pending_totp_user(request, now=now)
    if user is None:
        request.session.pop(TOTP_PENDING_KEY, None)
        return LoginOutcome(LoginStatus.EXPIRED)
    actor = _request_actor(request, user)
    if _rate_limited(request, actor, now, user.username):
        return LoginOutcome(LoginStatus.RATE_LIMITED)
    if user.is_locked(now):
        request.session.pop(TOTP_PENDING_KEY, None)
        record(actor, AuditAction.LOGIN_FAILED, user, context={"reason": "locked"})
        return LoginOutcome(LoginStatus.LOCKED, locked_until=user.locked_until)
    step = _totp_step(user.totp_secret, code, now)
    if step is None:
        outcome = _register_failure(user, actor, now, "wrong_totp")
    else:
        # Claim the step with a conditional UPDATE: a second use of it (even concurrent) fails.
        claimed = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(
            totp_last_step=step
        )
        if claimed:
            return _complete_login(request, user, actor, method="password+totp", totp_step=step)
        outcome = _register_failure(user, actor, now, "reused_totp")
        if outcome.status == LoginStatus.INVALID:
            outcome = LoginOutcome(LoginStatus.REUSED)
    if outcome.status == LoginStatus.LOCKED:
        request.session.pop(TOTP_PENDING_KEY, None)
    return outcome


def logout_user(request: HttpRequest) -> None:
    auth.logout(request)


# --- Two-factor login setup -----------------------------------------------------------------


def begin_totp_setup(user: User) -> tuple[str, str]:
    """A new random secret and its ``otpauth://`` URI. Nothing is saved until ``enable_totp``."""
    secret = pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
    return secret, uri


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


@transaction.atomic
def enable_totp(
    actor: Actor, user: User, *, secret: str, code: str, now: dt.datetime | None = None
) -> User:
    """Turn on two-factor login once the user proves their app shows the secret's codes."""
    now = _now(now)
    if user.totp_enabled:
        raise ValidationError(_("Two-factor login is already on."), code="totp_already_enabled")
    step = _totp_step(secret, code, now)
    if step is None:
        raise ValidationError(
            {"code": _("The code is not correct. Check the time on your phone and try again.")},
            code="totp_invalid",
        )
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = step  # the code used here cannot also log in
    user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
    record(actor, AuditAction.UPDATE, user, changes={"totp_enabled": [False, True]})
    return user


@transaction.atomic
def disable_totp(actor: Actor, user: User, *, password: str) -> User:
    """Turn off two-factor login; the user confirms with their password."""
    if not user.check_password(password):
        raise ValidationError(
            {"password": _("The password is not correct.")}, code="password_incorrect"
        )
    if not user.totp_enabled:
        return user
    user.totp_secret = ""
    user.totp_enabled = False
    user.totp_last_step = 0
    user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
    record(actor, AuditAction.UPDATE, user, changes={"totp_enabled": [True, False]})
    return user


@transaction.atomic
def reset_totp(actor: Actor, user: User) -> User:
    """An operator turns off a user's two-factor login (a lost phone)."""
    if not user.totp_enabled:
        return user
    user.totp_secret = ""
    user.totp_enabled = False
    user.totp_last_step = 0
    user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
    record(
        actor,
        AuditAction.UPDATE,
        user,
        changes={"totp_enabled": [True, False]},
        context={"event": "totp_reset"},
    )
    return user


@transaction.atomic
def change_password(actor: Actor, user: User, *, password: str) -> User:
    """The user's own new password (the caller has checked the old one)."""
    validate_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, AuditAction.UPDATE, user, context={"event": "password_changed"})
    return user


# --- The acting membership ------------------------------------------------------------------


@transaction.atomic
def switch_membership(request: HttpRequest, *, membership_id: int | str) -> Membership:
    """Act in another of one's own active memberships. Anything else is a 404."""
    try:
        wanted = int(membership_id)
    except (TypeError, ValueError):
        raise Http404 from None
    memberships = {m.pk: m for m in memberships_for_user(request.user)}
    membership = memberships.get(wanted)
    if membership is None:
        raise Http404
    actor = actor_for_request(request)
    before = actor.organization_id, actor.role
    request.session[SESSION_KEY] = membership.pk
    set_request_membership(request, membership, list(memberships.values()), MembershipChoice.CHOSEN)
    record(
        actor,
        AuditAction.STATE,
        membership,
        changes={
            "acting_organization": [before[0], membership.organization_id],
            "acting_role": [before[1], membership.role],
        },
        context={"event": "switch_membership"},
    )
    return membership


# --- Operators: users and roles -------------------------------------------------------------


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        **{field: getattr(user, field) for field in USER_FIELDS},
        "is_active": user.is_active,
        "failed_login_count": user.failed_login_count,
        "locked_until": user.locked_until,
    }


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None


@transaction.atomic
def create_user(
    actor: Actor,
    *,
    username: str,
    display_name: str,
    email: str = "",
    phone: str = "",
    password: str,
) -> User:
    username = username.strip()
    user = User(
        username=username,
        display_name=display_name.strip(),
        email=User.objects.normalize_email(email.strip()),
        phone=phone.strip(),
    )
    errors: dict[str, list[ValidationError]] = {}
    try:
        if not username:
            raise ValidationError(_("Enter a user name."), code="required")
        User.username_validator(username)
    except ValidationError as error:
        errors["username"] = error.error_list
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [
            ValidationError(_("This user name is already taken."), code="username_taken")
        ]
    try:
        _check_password(password, user)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(
            {"username": _("This user name is already taken.")}, code="username_taken"
        ) from None
    record(
        actor,
        AuditAction.CREATE,
        user,
        changes=diff({}, {field: getattr(user, field) for field in USER_FIELDS}),
    )
    return user


@transaction.atomic
def update_user(
    actor: Actor, user: User, *, display_name: str, email: str = "", phone: str = ""
) -> User:
    before = _user_snapshot(user)
    user.display_name = display_name.strip()
    user.email = User.objects.normalize_email(email.strip())
    user.phone = phone.strip()
    changes = diff(before, _user_snapshot(user))
    if changes:
        user.save(update_fields=["display_name", "email", "phone"])
        record(actor, AuditAction.UPDATE, user, changes=changes)
    return user


@transaction.atomic
def add_membership(actor: Actor, *, user: User, organization, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")}, code="invalid_role")
    if not organization.is_active:
        raise ValidationError(
            {"organization": _("This organisation is deactivated.")}, code="organization_inactive"
        )
    existing = Membership.objects.filter(user=user, organization=organization, role=role).first()
    if existing is not None:
        message = (
            _("This user already has this role in this organisation.")
            if existing.is_active
            else _(
                "This user had this role in this organisation; reactivate it in the list of "
                "memberships."
            )
        )
        raise ValidationError({"organization": message}, code="membership_exists")
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    record(
        actor,
        AuditAction.CREATE,
        membership,
        changes={
            "user": [None, str(user.pk)],
            "organization": [None, str(organization.pk)],
            "role": [None, role],
        },
    )
    return membership


def _refuse_self(actor: Actor, user: User, message: str) -> None:
    if actor.user_id is not None and actor.user_id == user.pk:
        raise ValidationError(message, code="self")


@transaction.atomic
def set_membership_active(actor: Actor, membership: Membership, *, active: bool) -> Membership:
    if membership.is_active == active:
        return membership
    if not active:
        _refuse_self(actor, membership.user, _("You cannot deactivate your own membership."))
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    record(actor, AuditAction.STATE, membership, changes={"is_active": [not active, active]})
    return membership


@transaction.atomic
def set_user_active(actor: Actor, user: User, *, active: bool) -> User:
    """Deactivated users cannot log in; their open sessions end at their next request."""
    if user.is_active == active:
        return user
    if not active:
        _refuse_self(actor, user, _("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(actor, AuditAction.STATE, user, changes={"is_active": [not active, active]})
    return user


@transaction.atomic
def unlock_user(actor: Actor, user: User) -> User:
    before = _user_snapshot(user)
    user.failed_login_count = 0
    user.locked_until = None
    changes = diff(before, _user_snapshot(user))
    if changes:
        user.save(update_fields=["failed_login_count", "locked_until"])
        record(actor, AuditAction.STATE, user, changes=changes, context={"event": "unlock"})
    return user


@transaction.atomic
def reset_password(actor: Actor, user: User, *, password: str) -> User:
    """An operator sets a new password. It also lifts a lock, and ends the user's sessions."""
    _check_password(password, user)
    before = _user_snapshot(user)
    user.set_password(password)
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["password", "failed_login_count", "locked_until"])
    record(
        actor,
        AuditAction.UPDATE,
        user,
        changes=diff(before, _user_snapshot(user)),
        context={"event": "password_reset"},
    )
    return user
