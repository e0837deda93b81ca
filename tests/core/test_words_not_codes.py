"""Issue 16, item 6: words, not codes. The pages a case's team reads name colleagues by their name, never by
their username, and say what a reader may see in words ("Identity", "Where the person is"), never "T1"-"T4".

The cases are the demo's (written through the same services as real work, with every kind of section), each
with a note and a document by a colleague of the lead agency, read by every demo persona who may open them.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from palermo.access.policy import can_write
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.accounts.services import membership_grant
from palermo.cases.models import Case, DocumentKind
from palermo.cases.services.documents import case_document_add
from palermo.cases.services.notes import case_note_add
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.areas import AREA_LOADERS
from palermo.demo.cases import load_demo_cases
from tests.conftest import signed_in_as
from tests.factories import UserFactory

TIER_CODE = re.compile(r"\bT[0-4]\b")
ISO_DAY = re.compile(r"\b\d{4}-\d\d-\d\d\b")  # a date as a machine writes it, where a reader wants words


def visible_text(html: str) -> str:
    """What a reader sees: the page without its scripts, styles, comments and tags, entities decoded."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>|<!--.*?-->", " ", html)
    return unescape(re.sub(r"(?s)<[^>]+>", " ", html))


@pytest.fixture
def demo_cases(db: None) -> list[Case]:
    load_demo_accounts("demo-password-for-tests")
    load_demo_cases(12)
    cases = list(Case.objects.order_by("pk"))
    for _label, load in AREA_LOADERS:
        load(cases)
    for case in cases[:4]:
        colleague = UserFactory()  # a named colleague with a username of its own, writing on the case
        membership = membership_grant(user=colleague, agency=case.lead_agency, role=Role.CASE_MANAGER)
        for tier in (1, 2, 3, 4):
            if can_write(membership, case, tier):
                case_note_add(actor=colleague, membership=membership, case=case, body="a note", tier=tier)
        if can_write(membership, case, 1):
            case_document_add(
                actor=colleague,
                membership=membership,
                case=case,
                content=b"%PDF-1.4\n%synthetic\n",
                filename="statement.pdf",
                kind=DocumentKind.values[0],
                tier=1,
            )
    return cases[:4]


def case_pages(reference: str) -> list[str]:
    return [
        reverse("cases:detail_full", args=[reference]),
        reverse("cases:timeline", args=[reference]),
        reverse("cases:notes", args=[reference]),
        reverse("cases:documents", args=[reference]),
        reverse("access:case_team", args=[reference]),
    ]


@pytest.mark.django_db
def test_case_pages_name_colleagues_and_say_tiers_and_dates_in_words(demo_cases: list[Case]) -> None:
    usernames = set(User.objects.values_list("username", flat=True))
    named = [user for user in User.objects.all() if user.get_full_name()]
    read = 0
    seen_names = set()
    for membership in Membership.objects.filter(is_active=True).select_related("user", "agency"):
        client = signed_in_as(membership.user, act_as=membership)
        pages = [reverse("deadlines:due")]
        for case in demo_cases:
            pages += case_pages(case.reference)
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue
            read += 1
            text = visible_text(response.content.decode())
            shown = {name for name in usernames if name in text}
            assert not shown, f"{url} as {membership.role}: usernames shown {sorted(shown)}"
            assert not TIER_CODE.search(text), f"{url} as {membership.role}: {TIER_CODE.findall(text)}"
            assert not ISO_DAY.search(text), f"{url} as {membership.role}: {ISO_DAY.findall(text)}"
            seen_names |= {user.pk for user in named if user.get_full_name() in text}
    assert read > 30  # the personas did read the pages: the checks above mean something
    assert len(seen_names) >= 3  # colleagues were named, by their names


@pytest.mark.django_db
def test_an_account_with_no_name_reads_as_unnamed(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(first_name="", last_name="")
    assert user.display_name == "Unnamed account"
    assert user.username not in user.display_name
    named = make_user(first_name="Ada", last_name="Example")
    assert named.display_name == "Ada Example"
