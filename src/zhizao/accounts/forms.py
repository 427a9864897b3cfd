"""Forms for accounts. They parse and check input; the services in ``services.py`` write."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhizao.registry.models import Organization

from .enums import Role
from .models import User

SIX_DIGITS = RegexValidator(r"^\d{6}$", _("Enter the 6 digits shown in your app."))


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=7,
        validators=[SIX_DIGITS],
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
            }
        ),
        help_text=_("The 6-digit code from your authenticator app."),
    )

    def __init__(self, *args, autofocus: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if autofocus:
            self.fields["code"].widget.attrs["autofocus"] = True
        # Codes are often typed as "123 456"; accept that before the 6-digit check.
        if self.is_bound:
            data = self.data.copy()
            key = self.add_prefix("code")
            data[key] = (data.get(key) or "").replace(" ", "").strip()
            self.data = data


class TotpDisableForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “ERP sync”. You see it in the list below."),
    )


class PasswordPairMixin:
    """Two password fields that must match; the rules are checked by the service."""

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password"), cleaned.get("password_confirm")
        if first and second and first != second:
            self.add_error("password_confirm", gettext("The two passwords do not match."))
        return cleaned


def _password_fields():
    return (
        forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=" ".join(password_validators_help_texts()),
        ),
        forms.CharField(
            label=_("Password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class UserCreateForm(PasswordPairMixin, forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; used to log in."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"], self.fields["password_confirm"] = _password_fields()


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    @classmethod
    def for_user(cls, user: User) -> UserEditForm:
        return cls(
            initial={"display_name": user.display_name, "email": user.email, "phone": user.phone}
        )


class PasswordResetForm(PasswordPairMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"], self.fields["password_confirm"] = _password_fields()
        self.fields["password"].label = _("New password")
        self.fields["password_confirm"].label = _("New password again")


# How many candidates an ambiguous organisation lookup lists.
ORGANIZATION_CANDIDATES = 5


def find_organization(text: str) -> Organization:
    """The organisation named by its unified social credit code, its exact name, or a part of
    its name that matches only one organisation. Raises ``forms.ValidationError`` otherwise."""
    text = " ".join(text.split())
    if not text:
        raise forms.ValidationError(gettext("Organisation not found."), code="not_found")
    by_code = Organization.objects.filter(uscc=text.upper()).first()
    if by_code is not None:
        return by_code
    exact = list(Organization.objects.filter(name=text).order_by("id")[:2])
    if len(exact) == 1:
        return exact[0]
    candidates = list(
        Organization.objects.filter(Q(name=text) | Q(name__icontains=text))
        .order_by("name_sort", "id")
        .only("name", "uscc")[: ORGANIZATION_CANDIDATES + 1]
    )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise forms.ValidationError(gettext("Organisation not found."), code="not_found")
    listed = "；".join(f"{org.name}（{org.uscc}）" for org in candidates[:ORGANIZATION_CANDIDATES])
    if len(candidates) > ORGANIZATION_CANDIDATES:
        listed += " …"
    raise forms.ValidationError(
        gettext(
            "Several organisations match: %(candidates)s. Enter the unified social credit code."
        )
        % {"candidates": listed},
        code="ambiguous",
    )


class MembershipForm(forms.Form):
    organization = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("The unified social credit code (18 characters) or the name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_organization(self) -> Organization:
        return find_organization(self.cleaned_data["organization"])
