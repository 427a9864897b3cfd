"""Account pages. Each view parses input, checks permission, calls one service, and renders.

Operator pages answer 404 to everyone who may not manage users (missing and forbidden
look the same) and send anonymous visitors to the login page.
"""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.messages.storage import default_storage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from . import lists, services
from .enums import Role, TokenRevocation
from .forms import (
    ApiTokenForm,
    LoginForm,
    MembershipForm,
    PasswordResetForm,
    TotpDisableForm,
    TotpForm,
    UserCreateForm,
    UserEditForm,
)
from .login_messages import invalid_message, rate_limited_message, throttled_message
from .models import Membership, User
from .selectors import (
    MembershipChoice,
    access_managed_user,
    access_own_api_token,
    actor_for_request,
    api_tokens_for_user,
    can_manage_users,
    membership_for_request,
    set_request_membership,
    users_for_management,
)
from .services import LoginStatus

TOTP_SETUP_SESSION_KEY = "zhizao_totp_setup_secret"


# --- helpers --------------------------------------------------------------------------------


def page_opens_for(request: HttpRequest, membership, target: str) -> bool:
    """Whether the page at ``target`` (a path of this site) opens for ``membership``: the
    page's view is asked once, as a GET inside this request, and a 404, a 403 or an error
    status means no. Generic: it runs the same access checks the page runs (``access_*``),
    whatever the page. Pages answer GET without writing, so the probe changes nothing; its
    response (and any message it would show) is thrown away."""
    parts = urlsplit(target)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return False
    # the same request with what the middleware set (user, session, language, htmx …),
    # turned into a GET of the target
    probe = copy.copy(request)
    probe.method = "GET"
    probe.path = probe.path_info = parts.path
    probe.GET = QueryDict(parts.query)
    probe.POST = QueryDict()
    probe.META = {
        **request.META,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
    }
    probe.META.pop("HTTP_HX_REQUEST", None)
    probe.resolver_match = match
    probe._messages = default_storage(probe)
    if hasattr(request, "htmx"):
        probe.htmx = type(request.htmx)(probe)
    set_request_membership(
        probe, membership, getattr(request, "memberships", []), MembershipChoice.CHOSEN
    )
    try:
        response = match.func(probe, *match.args, **match.kwargs)
    except (Http404, PermissionDenied):
        return False
    return response.status_code < 400


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _redirect_after_login(request: HttpRequest, next_url: str | None):
    return redirect(safe_next(request, next_url) or settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _apply_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: field errors where the form has the field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- login and logout -----------------------------------------------------------------------


class LoginView(View):
    template_name = "accounts/login.html"

    def context(self, request, form, next_url):
        return {
            "form": form,
            "next": safe_next(request, next_url) or "",
            "max_failures": settings.ZHIZAO_LOGIN_MAX_FAILURES,
        }

    def get(self, request):
        next_url = request.GET.get("next")
        if request.user.is_authenticated:
            return _redirect_after_login(request, next_url)
        return render(request, self.template_name, self.context(request, LoginForm(), next_url))

    def post(self, request):
        next_url = request.POST.get("next")
        form = LoginForm(request.POST)
        status = 200
        if form.is_valid():
            outcome = services.authenticate_user(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
            if outcome.status == LoginStatus.OK:
                return _redirect_after_login(request, next_url)
            if outcome.status == LoginStatus.NEEDS_TOTP:
                return redirect(
                    _with_next(reverse("accounts:login_totp"), safe_next(request, next_url))
                )
            if outcome.status == LoginStatus.THROTTLED:
                form.add_error(None, throttled_message(outcome.retry_at))
                status = 429
            elif outcome.status == LoginStatus.RATE_LIMITED:
                form.add_error(None, rate_limited_message())
                status = 429
            else:
                form.add_error(None, invalid_message())
        return render(
            request, self.template_name, self.context(request, form, next_url), status=status
        )


class LoginTotpView(View):
    template_name = "accounts/login_totp.html"

    def expired(self, request, next_url):
        messages.warning(request, _("The login took too long. Enter your password again."))
        return redirect(_with_next(reverse("accounts:login"), safe_next(request, next_url)))

    def render_form(self, request, form, next_url, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "next": safe_next(request, next_url) or ""},
            status=status,
        )

    def get(self, request):
        next_url = request.GET.get("next")
        if services.pending_totp_user(request) is None:
            return self.expired(request, next_url)
        return self.render_form(request, TotpForm(autofocus=True), next_url)

    def post(self, request):
        next_url = request.POST.get("next")
        form = TotpForm(request.POST, autofocus=True)
        if not form.is_valid():
            if services.pending_totp_user(request) is None:
                return self.expired(request, next_url)
            return self.render_form(request, form, next_url)
        outcome = services.verify_totp_step(request, code=form.cleaned_data["code"])
        match outcome.status:
            case LoginStatus.OK:
                return _redirect_after_login(request, next_url)
            case LoginStatus.EXPIRED:
                return self.expired(request, next_url)
            case LoginStatus.THROTTLED:
                form.add_error(None, throttled_message(outcome.retry_at))
                return self.render_form(request, form, next_url, status=429)
            case LoginStatus.RATE_LIMITED:
                form.add_error(None, rate_limited_message())
                return self.render_form(request, form, next_url, status=429)
            case LoginStatus.REUSED:
                form.add_error(
                    "code", _("This code has already been used. Wait for the next code.")
                )
            case _:
                form.add_error("code", _("The code is not correct."))
        return self.render_form(request, form, next_url)


class LogoutView(View):
    http_method_names = ["post"]

    def post(self, request):
        services.logout_user(request)
        messages.success(request, _("You have logged out."))
        return redirect(settings.LOGOUT_REDIRECT_URL)


class SwitchMembershipView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        membership = services.switch_membership(
            request, membership_id=request.POST.get("membership", "")
        )
        messages.success(
            request,
            _("You now act as %(role)s of %(organization)s.")
            % {"role": membership.get_role_display(), "organization": membership.organization.name},
        )
        target = safe_next(request, request.POST.get("next")) or safe_next(
            request, request.META.get("HTTP_REFERER")
        )
        # back to the page only if the new organisation may open it, else to its workbench
        if not target or not page_opens_for(request, membership, target):
            target = reverse("home")
        return redirect(target)


class ChooseMembershipView(LoginRequiredMixin, View):
    """Where a user without a valid acting membership is sent: the memberships to act in, or
    why there is none. The choice is posted to the switch view."""

    def get(self, request):
        reason = request.membership_choice
        return render(
            request,
            "accounts/choose_membership.html",
            {
                "choices": request.memberships,
                "stale": reason == MembershipChoice.STALE,
                "next": safe_next(request, request.GET.get("next")) or "",
            },
        )


# --- the user's own security page -----------------------------------------------------------


def _group_secret(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class SecurityView(LoginRequiredMixin, View):
    template_name = "accounts/security.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            membership_for_request(request)
        return super().dispatch(request, *args, **kwargs)

    def setup_secret(self, request) -> str:
        secret = request.session.get(TOTP_SETUP_SESSION_KEY)
        if not secret:
            secret, _uri = services.begin_totp_setup(request.user)
            request.session[TOTP_SETUP_SESSION_KEY] = secret
        return secret

    def render_page(
        self,
        request,
        *,
        password_form=None,
        totp_form=None,
        disable_form=None,
        token_form=None,
        issued=None,
        status=200,
    ):
        user = request.user
        password_form = password_form or PasswordChangeForm(user)
        # One page, several forms: no autofocus; help as one paragraph for the field component.
        password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
        password_form.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
        context = {
            "password_form": password_form,
            "totp_form": totp_form or TotpForm(),
            "disable_form": disable_form or TotpDisableForm(),
            "token_form": token_form or ApiTokenForm(),
            "tokens": api_tokens_for_user(user),
            # A new key, shown in this answer only (the database keeps its hash).
            "issued": issued,
            "now": timezone.now(),
            "token_days": settings.ZHIZAO_API_TOKEN_DAYS,
            "is_staff_role": (
                getattr(membership_for_request(request), "role", None)
                in (Role.OPERATOR, Role.OFFICER)
            ),
        }
        if not user.totp_enabled:
            secret = self.setup_secret(request)
            uri = services.provisioning_uri(user, secret)
            # A full QR symbol (authenticator apps do not read Micro QR), scaled by CSS.
            svg = segno.make_qr(uri, error="m").svg_inline(
                border=2,
                omitsize=True,
                svgclass="totp-qr",
                title=_("QR code for your authenticator app"),
            )
            # segno writes only its own path markup; the URI is not part of the SVG text.
            context.update({"qr_svg": mark_safe(svg), "secret": _group_secret(secret)})  # noqa: S308
        response = render(request, self.template_name, context, status=status)
        if issued is not None:
            response["Cache-Control"] = "no-store"
        return response

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        action = request.POST.get("action")
        actor = actor_for_request(request)
        user = request.user
        if action == "password":
            form = PasswordChangeForm(user, request.POST)
            if form.is_valid():
                try:
                    services.change_password(
                        actor, user, password=form.cleaned_data["new_password1"]
                    )
                except ValidationError as error:
                    form.add_error("new_password2", error)
                else:
                    update_session_auth_hash(request, user)
                    messages.success(request, _("Your password has been changed."))
                    return redirect("accounts:security")
            return self.render_page(request, password_form=form)
        if action == "totp_enable":
            form = TotpForm(request.POST)
            if form.is_valid():
                try:
                    services.enable_totp(
                        actor,
                        user,
                        secret=self.setup_secret(request),
                        code=form.cleaned_data["code"],
                    )
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    request.session.pop(TOTP_SETUP_SESSION_KEY, None)
                    messages.success(
                        request,
                        _(
                            "Two-factor login is on. From now on you enter a code after your password."
                        ),
                    )
                    return redirect("accounts:security")
            return self.render_page(request, totp_form=form)
        if action == "totp_disable":
            form = TotpDisableForm(request.POST)
            if form.is_valid():
                try:
                    services.disable_totp(actor, user, password=form.cleaned_data["password"])
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    messages.success(request, _("Two-factor login is off."))
                    return redirect("accounts:security")
            return self.render_page(request, disable_form=form)
        if action == "token_create":
            form = ApiTokenForm(request.POST)
            if form.is_valid():
                try:
                    issued = services.create_api_token(actor, user, name=form.cleaned_data["name"])
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    return self.render_page(request, issued=issued)
            return self.render_page(request, token_form=form)
        if action == "token_rotate":
            token = access_own_api_token(user, request.POST.get("token"))
            try:
                issued = services.rotate_api_token(actor, token)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("accounts:security")
            return self.render_page(request, issued=issued)
        if action == "token_revoke":
            token = access_own_api_token(user, request.POST.get("token"))
            services.revoke_api_token(actor, token)
            messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
            return redirect("accounts:security")
        raise Http404


# --- operators: users and roles -------------------------------------------------------------


class OperatorMixin(LoginRequiredMixin):
    """Logged in (else to the login page) and allowed to manage users (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_manage_users(request.membership):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class UserListView(OperatorMixin, View):
    list_spec = lists.USERS

    def get(self, request):
        listing = lists.USERS.run(request, users_for_management())
        if listing.response:
            return listing.response
        return render(
            request,
            "accounts/user_list.html",
            {
                **listing.context(),
                "users": listing.page_obj.object_list,
                "now": timezone.now(),
            },
        )


class UserCreateView(OperatorMixin, View):
    template_name = "accounts/user_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": UserCreateForm()})

    def post(self, request):
        form = UserCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.create_user(
                    actor_for_request(request),
                    username=data["username"],
                    display_name=data["display_name"],
                    email=data["email"],
                    phone=data["phone"],
                    password=data["password"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("User %(name)s created. Now give them an organisation and a role.")
                    % {"name": user.username},
                )
                return redirect("accounts:user_detail", user.pk)
        return render(request, self.template_name, {"form": form})


class UserDetailView(OperatorMixin, View):
    template_name = "accounts/user_detail.html"

    def render_page(self, request, managed: User, **forms):
        context = {
            "managed": managed,
            "memberships": list(
                managed.memberships.select_related("organization").order_by("-is_active", "id")
            ),
            "membership_form": forms.get("membership_form") or MembershipForm(),
            "reset_form": forms.get("reset_form") or PasswordResetForm(),
            "edit_form": forms.get("edit_form") or UserEditForm.for_user(managed),
            "is_locked": managed.is_locked(),
            "active_tokens": sum(1 for t in api_tokens_for_user(managed) if t.is_usable()),
            "is_self": managed.pk == request.user.pk,
        }
        return render(request, self.template_name, context)

    def get(self, request, pk: int):
        return self.render_page(request, access_managed_user(request.membership, pk))

    def post(self, request, pk: int):
        managed = access_managed_user(request.membership, pk)
        actor = actor_for_request(request)
        action = request.POST.get("action")
        handler = {
            "add_membership": self.add_membership,
            "membership_active": self.membership_active,
            "edit": self.edit,
            "unlock": self.unlock,
            "reset_password": self.reset_password,
            "reset_totp": self.reset_totp,
            "user_active": self.user_active,
            "revoke_tokens": self.revoke_tokens,
        }.get(action)
        if handler is None:
            raise Http404
        try:
            response = handler(request, actor, managed)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("accounts:user_detail", managed.pk)
        return response or redirect("accounts:user_detail", managed.pk)

    def add_membership(self, request, actor, managed):
        form = MembershipForm(request.POST)
        if form.is_valid():
            try:
                membership = services.add_membership(
                    actor,
                    user=managed,
                    organization=form.cleaned_data["organization"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(organization)s · %(role)s added.")
                    % {
                        "organization": membership.organization.name,
                        "role": membership.get_role_display(),
                    },
                )
                return None
        return self.render_page(request, managed, membership_form=form)

    def membership_active(self, request, actor, managed):
        membership = get_object_or_404(
            Membership.objects.select_related("organization", "user"),
            pk=request.POST.get("membership") or 0,
            user=managed,
        )
        active = request.POST.get("active") == "1"
        services.set_membership_active(actor, membership, active=active)
        messages.success(
            request,
            (_("Membership reactivated.") if active else _("Membership deactivated.")),
        )
        return None

    def edit(self, request, actor, managed):
        form = UserEditForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, managed, edit_form=form)
        services.update_user(actor, managed, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return None

    def unlock(self, request, actor, managed):
        services.unlock_user(actor, managed)
        messages.success(request, _("The account is unlocked."))
        return None

    def reset_password(self, request, actor, managed):
        form = PasswordResetForm(request.POST)
        if form.is_valid():
            try:
                services.reset_password(actor, managed, password=form.cleaned_data["password"])
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The password is reset. Give it to %(name)s in a safe way.")
                    % {"name": managed},
                )
                return None
        return self.render_page(request, managed, reset_form=form)

    def reset_totp(self, request, actor, managed):
        services.reset_totp(actor, managed)
        messages.success(request, _("Two-factor login is off for this user."))
        return None

    def user_active(self, request, actor, managed):
        active = request.POST.get("active") == "1"
        services.set_user_active(actor, managed, active=active)
        messages.success(
            request, _("The user is active again.") if active else _("The user is deactivated.")
        )
        return None

    def revoke_tokens(self, request, actor, managed):
        count = services.revoke_user_tokens(actor, managed, reason=TokenRevocation.OPERATOR)
        messages.success(
            request,
            _("API tokens revoked: %(count)s.") % {"count": count},
        )
        return None
