from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.utils.translation import gettext_lazy as _

from palermo.accounts.roles import AgencyType, Role
from palermo.core.forms import StyledForm, StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def one_time_code(label: Any, *, max_length: int, min_length: int | None = None) -> forms.CharField:
    """A code from an authenticator app (or a backup code), typed with the numeric keyboard."""
    return forms.CharField(
        label=label,
        min_length=min_length,
        max_length=max_length,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class OneTimeCodeForm(StyledForm):
    """A form of one `token`: the code as typed, its lengths checked, then the spaces within it dropped."""

    token: forms.CharField

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())


class TokenForm(OneTimeCodeForm):
    token = one_time_code(_("Code from your authenticator app, or a backup code"), max_length=16)


class EnrolForm(OneTimeCodeForm):
    token = one_time_code(_("Six-digit code shown by your authenticator app"), min_length=6, max_length=8)


class ChooseMembershipForm(StyledForm):
    membership = forms.TypedChoiceField(label=_("Act as"), coerce=int)

    def __init__(self, *args: object, memberships: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["membership"].choices = [(m.pk, str(m)) for m in memberships]  # type: ignore[attr-defined]


# --- administration (docs/decisions/0032) ------------------------------------------------------------------


class AgencyForm(StyledForm):
    name = forms.CharField(label=_("Name of the agency"), max_length=200)
    type = forms.ChoiceField(label=_("Type of agency"), choices=AgencyType.choices)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("The number the people the agency assists can call; printed on their summary."),
    )
    email = forms.EmailField(label=_("Email address"), required=False)


def role_choices(roles: list[Role]) -> list[tuple[str, str]]:
    return [(role.value, str(role.label)) for role in roles]


class InvitationForm(StyledForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The invitation goes to this address; it is also the person's sign-in name."),
    )
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)  # type: ignore[attr-defined]


class GrantRoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Role to grant"))

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)  # type: ignore[attr-defined]


class SetPasswordForm(StyledFormMixin, DjangoSetPasswordForm):
    """Django's form to choose a new password (its checks: the two entries match, the validators pass)."""


class PasswordResetForm(StyledForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
