"""Writes for accounts: logging in (with lockout, rate limit and TOTP), choosing the acting
membership, and the operators' management of users and roles.

Every function here is the one write path for its action. Each runs in a transaction, records
its audit entry itself, and takes ``now`` as a parameter where time matters, so that tests can
fix it. Passwords and TOTP secrets never reach the audit log.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
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
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor, AuditAction, diff, record
from zhizao.common.notifications import notify

from .enums import Role, TokenRevocation
from .models import ApiToken, Membership, User
from .selectors import (
    SESSION_KEY,
    MembershipChoice,
    actor_for_request,
    client_ip,
    hash_api_key,
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
# The owner of an account hears about repeated failed logins at most this often.
FAILURE_NOTICE_SECONDS = 3600
# An API token's key: this prefix, then 43 random URL-safe characters (256 bits).
API_KEY_PREFIX = "zz_"
# Keep the time a token was last used to the minute, not one write per request.
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)

USER_FIELDS = ("username", "display_name", "email", "phone")


class LoginStatus(enum.StrEnum):
    OK = "ok"
    NEEDS_TOTP = "needs_totp"
    INVALID = "invalid"
    # Too many failures for this user name from this address: wait until ``retry_at``.
    THROTTLED = "throttled"
    RATE_LIMITED = "rate_limited"
    # Only from the TOTP step: the code was already used, or the password step is too old.
    REUSED = "reused"
    EXPIRED = "expired"


@dataclass(frozen=True)
class LoginOutcome:
    """What a login step gives. ``retry_at`` is set when the next attempt for this user name
    from this address has to wait: on THROTTLED, and on the failure that started the wait."""

    status: LoginStatus
    user: User | None = None
    retry_at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status == LoginStatus.OK


@dataclass(frozen=True)
class IssuedToken:
    """A new API token and its key. The key exists only here: the database keeps its hash."""

    token: ApiToken
    key: str


@dataclass(frozen=True)
class TokenLogin:
    outcome: LoginOutcome
    issued: IssuedToken | None = None


# --- Login ----------------------------------------------------------------------------------
#
# Two counters guard the login, both in the shared cache (settings.CACHES), so every app
# process sees the same counts:
#
# - the attempts from one client address in a five-minute window (``_rate_limited``), whatever
#   the user name;
# - the failures in a row for one (user name, client address) pair (``_Pair``). Below
#   ZHIZAO_LOGIN_MAX_FAILURES they cost nothing; from there each further attempt from that
#   address must wait 2, 4, 8 … seconds (capped) after the last failure, and only one attempt
#   gets through after each wait. Known and unknown user names are counted alike, so the
#   answers never tell which names exist; an account is never locked for everyone, and its
#   owner logs in from another address as usual. A successful login clears the pair.


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _rate_count(request: HttpRequest, now: dt.datetime) -> int:
    """Count one attempt from the request's address; returns the attempts in this window."""
    ip = client_ip(request) or "unknown"
    window = int(now.timestamp()) // RATE_WINDOW_SECONDS
    key = f"zhizao:login-rate:{ip}:{window}"
    return _count(key, timeout=RATE_WINDOW_SECONDS * 2)


def _count(key: str, *, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
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


def failure_delay(failures: int) -> int:
    """Seconds the next attempt of a (user name, address) pair waits after ``failures``
    failures in a row: none below ZHIZAO_LOGIN_MAX_FAILURES, then the first delay (2 s by
    default), doubled with each further failure, up to the cap."""
    over = failures - settings.ZHIZAO_LOGIN_MAX_FAILURES
    if over < 0:
        return 0
    first = settings.ZHIZAO_LOGIN_FIRST_DELAY_SECONDS
    return min(settings.ZHIZAO_LOGIN_MAX_DELAY_SECONDS, first * 2 ** min(over, 30))


def _generation_key(username: str) -> str:
    return f"zhizao:login-generation:{_digest(username.casefold())}"


@dataclass(frozen=True)
class _Pair:
    """The failure count of one user name from one client address."""

    key: str
    ip: str
    failures: int
    last_failure: float | None

    @classmethod
    def load(cls, username: str, ip: str) -> _Pair:
        # An operator's unlock (or password reset) starts a new generation of the name's keys.
        generation = cache.get(_generation_key(username)) or ""
        key = f"zhizao:login-failures:{_digest(generation, username.casefold(), ip)}"
        values = cache.get_many([key, f"{key}:at"])
        return cls(key, ip, int(values.get(key) or 0), values.get(f"{key}:at"))

    def retry_at(self, failures: int, last_failure: float) -> dt.datetime | None:
        delay = failure_delay(failures)
        if not delay:
            return None
        return dt.datetime.fromtimestamp(last_failure, tz=dt.UTC) + dt.timedelta(seconds=delay)

    def wait_until(self, now: dt.datetime) -> dt.datetime | None:
        """When the next attempt may come if that is later than ``now``. Once a wait is over,
        exactly one attempt claims the turn; others arriving with it wait a second more."""
        if self.last_failure is None:
            return None
        retry_at = self.retry_at(self.failures, self.last_failure)
        if retry_at is None:
            return None
        if now < retry_at:
            return retry_at
        turn = f"{self.key}:turn:{self.failures}:{self.last_failure}"
        if not cache.add(turn, 1, timeout=settings.ZHIZAO_LOGIN_FAILURE_MEMORY_SECONDS):
            return now + dt.timedelta(seconds=1)
        return None

    def count_failure(self, now: dt.datetime) -> tuple[int, dt.datetime | None]:
        memory = settings.ZHIZAO_LOGIN_FAILURE_MEMORY_SECONDS
        failures = _count(self.key, timeout=memory)
        cache.touch(self.key, timeout=memory)
        cache.set(f"{self.key}:at", now.timestamp(), timeout=memory)
        return failures, self.retry_at(failures, now.timestamp())

    def clear(self) -> None:
        cache.delete_many([self.key, f"{self.key}:at"])


def clear_login_failures(username: str) -> None:
    """Forget every address's failure count for this user name."""
    cache.set(
        _generation_key(username),
        secrets.token_hex(8),
        timeout=settings.ZHIZAO_LOGIN_FAILURE_MEMORY_SECONDS,
    )


def _notify_owner(user: User, *, ip: str, failures: int) -> None:
    """A notification to the account's owner, at most once an hour, in every organisation
    they act for (notifications are read per organisation)."""
    if not cache.add(f"zhizao:login-notice:{user.pk}", 1, timeout=FAILURE_NOTICE_SECONDS):
        return
    organizations = {m.organization_id: m.organization for m in memberships_for_user(user)}
    title = _("Repeated failed logins to your account")
    body = _(
        "%(count)s logins with your user name failed in a row from the address %(address)s; "
        "further attempts from there are slowed down. If this was not you, change your "
        "password and turn on two-factor login."
    ) % {"count": failures, "address": ip}
    link = reverse("accounts:security")

    def send() -> None:
        for organization in organizations.values():
            notify(organization, user=user, title=title, body=body, link=link)

    transaction.on_commit(send)


def _throttled(actor: Actor, user: User | None, username: str, retry_at) -> LoginOutcome:
    record(
        actor,
        AuditAction.LOGIN_FAILED,
        user,
        object_repr=None if user is not None else username[:150],
        context={"reason": "throttled", "retry_at": retry_at.isoformat()},
    )
    return LoginOutcome(LoginStatus.THROTTLED, retry_at=retry_at)


def _register_failure(
    user: User | None,
    actor: Actor,
    pair: _Pair,
    now: dt.datetime | None,
    reason: str,
    *,
    username: str = "",
) -> LoginOutcome:
    """Count a failure for the (user name, address) pair and, for a known user, on the account.

    The failure that starts the waiting for a pair records LOCKED on the account, sets
    ``locked_until`` (what operators see: logins from some address wait until then) and tells
    the owner. The failure is stamped when it is counted (after the password hashing), unless
    the caller fixed the time.
    """
    now = _now(now)
    failures, retry_at = pair.count_failure(now)
    if user is None:
        record(
            actor,
            AuditAction.LOGIN_FAILED,
            None,
            object_repr=username[:150],
            context={"reason": reason, "failed_attempts": failures},
        )
        return LoginOutcome(LoginStatus.INVALID, retry_at=retry_at)
    updates: dict[str, Any] = {"failed_login_count": F("failed_login_count") + 1}
    if retry_at is not None:
        updates["locked_until"] = Greatest(
            Coalesce(F("locked_until"), Value(retry_at)), Value(retry_at)
        )
    User.objects.filter(pk=user.pk).update(**updates)
    user.refresh_from_db(fields=["failed_login_count", "locked_until"])
    record(
        actor,
        AuditAction.LOGIN_FAILED,
        user,
        context={
            "reason": reason,
            "failed_attempts": failures,
            "failed_login_count": user.failed_login_count,
        },
    )
    if failures == settings.ZHIZAO_LOGIN_MAX_FAILURES:
        record(
            actor,
            AuditAction.LOCKED,
            user,
            changes={"locked_until": [None, retry_at.isoformat()]},
            context={"failed_attempts": failures, "address": pair.ip},
        )
        _notify_owner(user, ip=pair.ip, failures=failures)
    return LoginOutcome(LoginStatus.INVALID, retry_at=retry_at)


def _clear_failures(user: User, pair: _Pair, *, totp_step: int | None = None) -> None:
    updates: dict[str, Any] = {"failed_login_count": 0, "locked_until": None}
    if totp_step is not None:
        updates["totp_last_step"] = totp_step
    User.objects.filter(pk=user.pk).update(**updates)
    for field, value in updates.items():
        setattr(user, field, value)
    pair.clear()


def _complete_login(
    request: HttpRequest,
    user: User,
    actor: Actor,
    pair: _Pair,
    *,
    method: str,
    totp_step: int | None = None,
) -> LoginOutcome:
    _clear_failures(user, pair, totp_step=totp_step)
    request.session.pop(TOTP_PENDING_KEY, None)
    auth.login(request, user, backend=LOGIN_BACKEND)
    record(actor, AuditAction.LOGIN, user, context={"method": method})
    return LoginOutcome(LoginStatus.OK, user=user)


@dataclass(frozen=True)
class _PasswordStep:
    """A right password of an active user (``outcome`` None), or the refusal."""

    outcome: LoginOutcome | None
    user: User | None
    actor: Actor
    pair: _Pair


def _password_step(
    request: HttpRequest, username: str, password: str, now: dt.datetime | None
) -> _PasswordStep:
    """Order of checks: the address's rate limit, then the pair's wait (neither looks at the
    password), then the user, then the password. Unknown users and inactive users get the
    same answer as a wrong password, after the same hashing work, and are counted alike."""
    ip = client_ip(request) or "unknown"
    anonymous = _request_actor(request)
    pair = _Pair.load(username, ip)
    if _rate_limited(request, anonymous, _now(now), username):
        return _PasswordStep(LoginOutcome(LoginStatus.RATE_LIMITED), None, anonymous, pair)
    wait = pair.wait_until(_now(now))
    user = User.objects.filter(username=username).first()
    actor = _request_actor(request, user)
    if wait is not None:
        return _PasswordStep(_throttled(actor, user, username, wait), user, actor, pair)
    if user is None:
        make_password(password)  # the same hashing work as for a known user
        outcome = _register_failure(None, actor, pair, now, "unknown_user", username=username)
        return _PasswordStep(outcome, None, actor, pair)
    if not user.check_password(password):
        return _PasswordStep(
            _register_failure(user, actor, pair, now, "wrong_password"), user, actor, pair
        )
    if not user.is_active:
        return _PasswordStep(
            _register_failure(user, actor, pair, now, "inactive"), user, actor, pair
        )
    return _PasswordStep(None, user, actor, pair)


@transaction.atomic
def authenticate_user(
    request: HttpRequest, *, username: str, password: str, now: dt.datetime | None = None
) -> LoginOutcome:
    """The password step of a login on the web.

    A right password ends the login unless the user has two-factor login, in which case the
    session remembers the user for ``verify_totp_step`` and the failure count stays until the
    code is right too.
    """
    username = (username or "").strip()
    step = _password_step(request, username, password, now)
    if step.outcome is not None:
        return step.outcome
    user = step.user
    if user.totp_enabled:
        request.session[TOTP_PENDING_KEY] = {"user_id": user.pk, "at": _now(now).timestamp()}
        return LoginOutcome(LoginStatus.NEEDS_TOTP, user=user)
    return _complete_login(request, user, step.actor, step.pair, method="password")


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


def _code_step(
    user: User, actor: Actor, pair: _Pair, code: str, now: dt.datetime | None
) -> LoginOutcome | int:
    """The TOTP code: its time step when right and not used before, else the counted refusal.
    Wrong, missing and reused codes count towards the same waits as wrong passwords."""
    if not (code or "").strip():
        return _register_failure(user, actor, pair, now, "missing_totp")
    step = _totp_step(user.totp_secret, code, _now(now))
    if step is None:
        return _register_failure(user, actor, pair, now, "wrong_totp")
    # Claim the step with a conditional UPDATE: a second use of it (even concurrent) fails.
    claimed = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
    if claimed:
        return step
    outcome = _register_failure(user, actor, pair, now, "reused_totp")
    return LoginOutcome(LoginStatus.REUSED, retry_at=outcome.retry_at)


@transaction.atomic
def verify_totp_step(
    request: HttpRequest, *, code: str, now: dt.datetime | None = None
) -> LoginOutcome:
    """The second step of a web login: a TOTP code of the pending user, each step used once."""
    user = pending_totp_user(request, now=now)
    if user is None:
        request.session.pop(TOTP_PENDING_KEY, None)
        return LoginOutcome(LoginStatus.EXPIRED)
    actor = _request_actor(request, user)
    if _rate_limited(request, actor, _now(now), user.username):
        return LoginOutcome(LoginStatus.RATE_LIMITED)
    pair = _Pair.load(user.username, client_ip(request) or "unknown")
    wait = pair.wait_until(_now(now))
    if wait is not None:
        return _throttled(actor, user, user.username, wait)
    result = _code_step(user, actor, pair, code, now)
    if isinstance(result, LoginOutcome):
        return result
    return _complete_login(request, user, actor, pair, method="password+totp", totp_step=result)


@transaction.atomic
def obtain_api_token(
    request: HttpRequest,
    *,
    username: str,
    password: str,
    code: str = "",
    name: str = "",
    now: dt.datetime | None = None,
) -> TokenLogin:
    """An API token for a user name, a password and, when two-factor login is on, the current
    code, all in one request. The same checks, counts and audit entries as the web login;
    no session is created."""
    username = (username or "").strip()
    step = _password_step(request, username, password, now)
    if step.outcome is not None:
        return TokenLogin(step.outcome)
    user, actor, pair = step.user, step.actor, step.pair
    totp_step = None
    if user.totp_enabled:
        result = _code_step(user, actor, pair, code, now)
        if isinstance(result, LoginOutcome):
            if (code or "").strip() == "" and result.status == LoginStatus.INVALID:
                result = LoginOutcome(LoginStatus.NEEDS_TOTP, retry_at=result.retry_at)
            return TokenLogin(result)
        totp_step = result
    _clear_failures(user, pair, totp_step=totp_step)
    User.objects.filter(pk=user.pk).update(last_login=_now(now))
    method = "api_token+totp" if totp_step is not None else "api_token"
    record(actor, AuditAction.LOGIN, user, context={"method": method})
    issued = create_api_token(actor, user, name=name or _("API login"), now=now)
    return TokenLogin(LoginOutcome(LoginStatus.OK, user=user), issued)


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
    # Revoked before the save, so that the audit names this actor (the save's own revocation,
    # ``signals.revoke_tokens_on_new_password``, then finds none left).
    revoke_user_tokens(actor, user, reason=TokenRevocation.PASSWORD_CHANGED)
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
    if not active:
        # A token acts in any of the user's memberships (X-Zhizao-Membership), so losing one
        # of them ends every token; the user makes new ones for what they still may do.
        revoke_user_tokens(actor, membership.user, reason=TokenRevocation.MEMBERSHIP_DEACTIVATED)
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
    if not active:
        revoke_user_tokens(actor, user, reason=TokenRevocation.USER_DEACTIVATED)
    return user


@transaction.atomic
def unlock_user(actor: Actor, user: User) -> User:
    """Forget the failed logins of every address: no attempt for this user has to wait."""
    before = _user_snapshot(user)
    user.failed_login_count = 0
    user.locked_until = None
    changes = diff(before, _user_snapshot(user))
    clear_login_failures(user.username)
    if changes:
        user.save(update_fields=["failed_login_count", "locked_until"])
        record(actor, AuditAction.STATE, user, changes=changes, context={"event": "unlock"})
    return user


@transaction.atomic
def reset_password(actor: Actor, user: User, *, password: str) -> User:
    """An operator sets a new password. It also lifts the login waits, ends the user's
    sessions and revokes their API tokens."""
    _check_password(password, user)
    before = _user_snapshot(user)
    revoke_user_tokens(actor, user, reason=TokenRevocation.PASSWORD_RESET)
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
    clear_login_failures(user.username)
    return user


# --- API tokens -----------------------------------------------------------------------------


def _token_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter a name for the token.")}, code="required")
    max_length = ApiToken._meta.get_field("name").max_length
    if len(name) > max_length:
        raise ValidationError(
            {
                "name": _("The name is %(length)s characters long; at most %(max)s are allowed.")
                % {"length": len(name), "max": max_length}
            },
            code="max_length",
        )
    return name


@transaction.atomic
def create_api_token(
    actor: Actor, user: User, *, name: str, now: dt.datetime | None = None
) -> IssuedToken:
    """A new token for ``user``, valid for ZHIZAO_API_TOKEN_DAYS. The key is returned once."""
    now = _now(now)
    name = _token_name(name)
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_api_key(key),
        key_prefix=key[:8],
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.ZHIZAO_API_TOKEN_DAYS),
    )
    record(
        actor,
        AuditAction.CREATE,
        token,
        changes={
            "user": [None, str(user.pk)],
            "name": [None, name],
            "expires_at": [None, token.expires_at.isoformat()],
        },
    )
    return IssuedToken(token, key)


@transaction.atomic
def revoke_api_token(
    actor: Actor,
    token: ApiToken,
    *,
    reason: str = TokenRevocation.USER,
    now: dt.datetime | None = None,
) -> ApiToken:
    """Stop one token now. Revoking a revoked token changes nothing and records nothing."""
    now = _now(now)
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason
    )
    token.refresh_from_db(fields=["revoked_at", "revoked_reason"])
    if revoked:
        record(
            actor,
            AuditAction.STATE,
            token,
            changes={"revoked_at": [None, now.isoformat()]},
            context={"reason": str(reason)},
        )
    return token


@transaction.atomic
def rotate_api_token(
    actor: Actor, token: ApiToken, *, now: dt.datetime | None = None
) -> IssuedToken:
    """A new key under the same name; the old token stops at once."""
    now = _now(now)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not token.is_usable(now):
        raise ValidationError(
            _("This token is revoked or expired and cannot be rotated; create a new one."),
            code="token_unusable",
        )
    revoke_api_token(actor, token, reason=TokenRevocation.ROTATED, now=now)
    return create_api_token(actor, token.user, name=token.name, now=now)


@transaction.atomic
def revoke_user_tokens(
    actor: Actor, user: User, *, reason: str, now: dt.datetime | None = None
) -> int:
    """Stop every working token of ``user``; one audit entry on the user names them."""
    now = _now(now)
    ids = list(
        ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    ApiToken.objects.filter(pk__in=ids).update(revoked_at=now, revoked_reason=reason)
    record(
        actor,
        AuditAction.STATE,
        user,
        context={"event": "api_tokens_revoked", "reason": str(reason), "tokens": ids},
    )
    return len(ids)


def record_api_token_use(token: ApiToken, *, now: dt.datetime | None = None) -> None:
    """Keep ``last_used_at`` to the minute: one conditional UPDATE per request (so every API
    request costs the same queries), which changes the row at most once a minute."""
    now = _now(now)
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_USE_RESOLUTION),
        pk=token.pk,
    ).update(last_used_at=now)
