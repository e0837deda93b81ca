"""The public contact request form. No CSRF cookie (the portal sets none): the form carries a signed, dated
token instead, so a request is sent from a form this site served in the last hours; the limiter does the
rest (palermo.access.limits, door `contact_request`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import get_language_info

from palermo.portal import content

TOKEN_SALT = "palermo.portal.contact"  # noqa: S105  (a signing salt, not a secret)
TOKEN_MAX_AGE = 6 * 3600


def form_token() -> str:
    return signing.dumps("contact", salt=TOKEN_SALT)


def token_valid(token: str) -> bool:
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE) == "contact"
    except signing.BadSignature:
        return False


def language_choices() -> list[tuple[str, str]]:
    """The public languages, each named in itself."""
    return [(code, get_language_info(code)["name_local"]) for code in settings.PUBLIC_LANGUAGES]


class ContactForm(forms.Form):
    """Plain text fields: the choices are checked by the service (a region that has gone, a language or a
    channel not offered never echo the value sent back, and never stop a person asking for help)."""

    channel = forms.CharField(max_length=10, required=False)
    contact = forms.CharField(max_length=200, required=False)
    meeting = forms.CharField(max_length=300, required=False)
    region = forms.CharField(max_length=100, required=False)
    language = forms.CharField(max_length=10, required=False)
    token = forms.CharField(required=False)

    def __init__(self, *args: Any, regions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel_choices = content.CHANNELS
        self.region_choices = regions
        self.language_choices = language_choices()

    def clean_language(self) -> str:
        language = str(self.cleaned_data.get("language") or "")
        return language if language in settings.PUBLIC_LANGUAGES else ""

    def clean_token(self) -> str:
        token = str(self.cleaned_data.get("token") or "")
        if not token_valid(token):
            raise forms.ValidationError(content.SEND_AGAIN)
        return token
