"""The emergency access page says its role's reason (the matrix's `break_glass.why`) in the reader's language:
every reason is a message of palermo.access.reasons, and each staff language translates it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from palermo.access.matrix import MATRIX, Relation
from palermo.access.reasons import EMERGENCY_REASONS
from palermo.accounts.roles import Role


def test_the_messages_are_the_matrixs_reasons() -> None:
    reasons = {MATRIX[role].entry(Relation.BREAK_GLASS).why for role in Role}
    assert set(EMERGENCY_REASONS) == reasons


@pytest.mark.parametrize("language", [code for code in settings.STAFF_LANGUAGES if code != "en"])
def test_every_reason_is_translated(language: str) -> None:
    with translation.override(language):
        untranslated = [reason for reason in EMERGENCY_REASONS if translation.gettext(reason) == reason]
    assert untranslated == []


@pytest.mark.django_db
def test_the_page_says_the_reason_in_the_readers_language(make_member, client_for) -> None:
    client = client_for(make_member(Role.PROTECTION_OFFICER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("access:break_glass")).content.decode()
    why = MATRIX[Role.PROTECTION_OFFICER].entry(Relation.BREAK_GLASS).why
    with translation.override("fr"):
        said = translation.gettext(why)
    assert said != why and escape(said) in page
