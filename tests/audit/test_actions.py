"""The audit log's actions and kinds of record in words (palermo.audit.actions): the DPO's page leads with
what was done, in the reader's language, with the code beside it to filter by, and names the record in words;
the API gives both."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from palermo.audit.actions import ACTION_WORDS, OBJECT_WORDS, action_words, object_words
from palermo.audit.services import audit_record

EVENTS = reverse("audit:events")
# Kinds of record whose word reads the same in some staff language ("Document", "Note" and "Service" in
# French, "Person" in Albanian): no omission.
SPELT_ALIKE = {
    *("case_document", "case_note", "note", "provider_service", "citation", "export", "import"),
    *("partner", "partner_nrm", "person", "cases.person"),
}


@pytest.mark.parametrize("language", [code for code in settings.STAFF_LANGUAGES if code != "en"])
def test_every_action_has_words_in_every_staff_language(language: str) -> None:
    english = {action: str(words) for action, words in ACTION_WORDS.items()}
    with translation.override(language):
        untranslated = [action for action in ACTION_WORDS if action_words(action) == english[action]]
    assert untranslated == []


@pytest.mark.parametrize("language", [code for code in settings.STAFF_LANGUAGES if code != "en"])
def test_every_kind_of_record_has_words_in_every_staff_language(language: str) -> None:
    english = {kind: str(words) for kind, words in OBJECT_WORDS.items()}
    with translation.override(language):
        untranslated = [kind for kind in OBJECT_WORDS if object_words(kind) == english[kind]]
    assert set(untranslated) <= SPELT_ALIKE


def test_an_action_or_a_kind_without_words_shows_its_code() -> None:
    assert action_words("case.read") == "Read a case"
    assert action_words("somewhere.unknown") == "somewhere.unknown"
    assert object_words("transnationalpackage") == "Package"
    assert object_words("somewhere") == "somewhere"


@pytest.mark.django_db
def test_the_dpo_reads_what_was_done_in_words_with_its_code(client_for, national_dpo) -> None:
    audit_record(
        actor=None, action="break_glass.open", tier=1, object_type="break_glass_grant", object_id="7"
    )
    client = client_for(national_dpo)
    page = client.get(EVENTS).content.decode()
    assert "Opened emergency access to a case" in page
    assert "<td>Emergency access 7</td>" in page
    assert '<code class="d-block small text-body-secondary" lang="en">break_glass.open</code>' in page
    with translation.override("ar"):
        arabic = client.get(EVENTS, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "فتح وصولًا طارئًا إلى حالة" in arabic
    assert "<td>وصول طارئ 7</td>" in arabic


@pytest.mark.django_db
def test_the_api_gives_the_code_and_the_words(client_for, national_dpo) -> None:
    audit_record(actor=None, action="auth.sign_out", tier=0, object_type="user", object_id="3")
    client = client_for(national_dpo)
    rows = client.get(reverse("api-audit-events"), {"action": "auth.sign_out"}).json()["results"]
    assert [(row["action"], row["action_words"]) for row in rows] == [("auth.sign_out", "Signed out")]
    assert (rows[0]["object_type"], rows[0]["object_words"]) == ("user", "User account")
    french = client.get(
        reverse("api-audit-events"), {"action": "auth.sign_out"}, HTTP_ACCEPT_LANGUAGE="fr"
    ).json()["results"]
    assert french[0]["action_words"] == "S\u2019est déconnecté"


def test_the_suite_refuses_an_action_without_words() -> None:
    from palermo.audit import services

    with pytest.raises(AssertionError, match="has no words"):
        services._check(None, "made.up", 0, None)
    with pytest.raises(AssertionError, match="kind of record 'made_up' has no words"):
        services._check(None, "case.read", 0, None, "made_up")
