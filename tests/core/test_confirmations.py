"""Every action confirmed: each form a user may use, sent with valid answers as that user would, says what
happened in the GOV.UK notification banner (a success alert that takes focus), on the page the browser is
sent to, or inside the case-page section HTMX swaps in. Sent again, the same answers (a double press, a
resubmit after going back, a version now stale on a record that already holds them) give the banner again,
never an error or the "someone saved first" screen.

The case page's forms are walked through their registry (cases:form), as in test_form_errors; their fields
are filled from the form as shown (the first choice offered, a date, some words), with answers for the few
whose rules ask for more.
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import User
from palermo.accounts.roles import AgencyType, Role
from palermo.cases.models import Case, CaseNote
from palermo.cases.services.notes import case_note_add
from palermo.cases.views.case_forms import FORMS
from palermo.core.concurrency import already_saved
from palermo.reflection.services.periods import period_request
from tests.assistance.conftest import add_service
from tests.cases.casework import htmx
from tests.conftest import signed_in_as
from tests.core.case_forms import case_page_forms, forms_case
from tests.core.test_form_errors import SHELL_ACTIONS

pytestmark = pytest.mark.django_db

BANNER = re.compile(
    r'<div class="alert alert-success app-notification-banner" role="alert" tabindex="-1" '
    r'aria-labelledby="(?P<id>[\w-]+)-title" data-notification>\s*'
    r'<h2 class="h6 mb-1" id="(?P=id)-title">Success</h2>\s*<p class="mb-0 fw-semibold">(?P<text>.*?)</p>',
    re.S,
)
FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S)
ERROR_SIGNS = ("app-error-summary", "There is a problem", "changed while you", "Nothing was saved")
TODAY = timezone.localdate()


def _attr(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return unescape(found[1]) if found else None


def filled(body: str, answers: dict[str, str]) -> tuple[dict[str, object], dict[str, SimpleUploadedFile]]:
    """The form's fields as a person would fill them: hidden ones untouched, the first choice offered, a date
    of today, some words; `answers` (by the field's name) for what its rules ask more of."""
    data: dict[str, object] = {}
    files: dict[str, SimpleUploadedFile] = {}
    for tag in re.findall(r"<input\b[^>]*>", body):
        name, kind, value = _attr(tag, "name"), _attr(tag, "type") or "text", _attr(tag, "value")
        if not name or name == "csrfmiddlewaretoken" or kind in {"submit", "button"}:
            continue
        if kind == "hidden":
            data[name] = value or ""
        elif kind in {"radio", "checkbox"}:
            if name not in data and value:
                data[name] = value if kind == "radio" else [value]
        elif kind == "file":
            files[name] = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%synthetic\n", "application/pdf")
        elif kind == "date":
            data[name] = TODAY.isoformat()
        elif kind == "month":
            data[name] = TODAY.strftime("%Y-%m")
        elif kind == "datetime-local":
            data[name] = f"{TODAY.isoformat()}T00:01"  # not in the future
        elif kind == "email":
            data[name] = "person@example.org"
        elif kind == "number":
            data[name] = _attr(tag, "min") or "1"
        else:
            data[name] = value or "Spoke with the person today."
    for select in re.finditer(r"<select\b(?P<attrs>[^>]*)>(?P<options>.*?)</select>", body, re.S):
        name = _attr(select["attrs"], "name")
        values = [unescape(v) for v in re.findall(r'<option value="([^"]+)"', select["options"])]
        if name and values:
            data[name] = [values[0]] if "multiple" in select["attrs"] else values[0]
    for area in re.finditer(r"<textarea\b(?P<attrs>[^>]*)>", body):
        name = _attr(area["attrs"], "name")
        if name:
            data[name] = "Spoke with the person today."
    named = re.findall(r'<button\b[^>]*type="submit"[^>]*name="([^"]*)"[^>]*value="([^"]*)"', body)
    if named:
        data[named[-1][0]] = unescape(named[-1][1])
    data.update(answers)
    return data, files


def the_form(page: str, url: str) -> tuple[str, str]:
    for match in FORM.finditer(page):
        if 'method="post"' not in match["attrs"]:
            continue
        action = _attr(match["attrs"], "action") or url
        if action.startswith(SHELL_ACTIONS):
            continue
        return action, match["body"]
    raise AssertionError(f"no form on {url}")


def problems(body: str) -> list[str]:
    """What the error summary lists, to say why a form was refused."""
    summary = re.search(r'class="alert alert-danger app-error-summary".*?</ul>', body, re.S)
    return re.findall(r"<li>(?:<a[^>]*>)?(.*?)(?:</a>)?</li>", summary[0]) if summary else []


def banner_of(body: str, url: str) -> str:
    found = BANNER.search(body)
    assert found, f"{url}: no notification banner"
    for sign in ERROR_SIGNS:
        assert sign not in body, f"{url}: an error beside the banner: {sign}"
    return unescape(found["text"]).strip()


def assert_confirmed(
    client: Client, url: str, answers: dict[str, str] | None = None, *, htmx_too: bool = True
) -> str:
    """Sends the form on `url` with valid answers, as a page (the banner on the page it is sent to), then
    the same again, over HTMX where the form is the case page's (the banner in the swapped section), else as
    a page again. Returns what the banner said."""
    page = client.get(url)
    assert page.status_code == 200, url
    action, body = the_form(page.content.decode(), url)
    data, files = filled(body, answers or {})
    first = client.post(action, {**data, **files}, follow=True)
    assert first.status_code == 200, (url, first.status_code, problems(first.content.decode()))
    said = banner_of(first.content.decode(), url)
    assert said, url
    for upload in files.values():
        upload.seek(0)
    again = client.post(action, {**data, **files}, **(htmx() if htmx_too else {}), follow=not htmx_too)
    assert again.status_code == 200, (url, again.status_code, problems(again.content.decode()))
    assert banner_of(again.content.decode(), url) == said, url
    return said


@pytest.fixture
def case(manager: User, authority: User, responder: User) -> Case:
    return forms_case(manager, authority, responder)


# Answers the form's own rules ask for beyond the first choice and some words.
ANSWERS: dict[str, dict[str, str]] = {
    "transition": {"closure_reason": ""},
    "consent": {"consent-purpose": "referral"},  # what the referral below needs
    "assistance-plan-service": {"kind": "interpretation"},  # not one the plan was drawn up with
    "assistance-plan": {
        "review_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "planned_end": (TODAY + datetime.timedelta(days=90)).isoformat(),
    },
}
# Forms shown before they can be used: feedback on a referral waits for the service to end. Handing the lead
# on is asked twice and then leaves the form's sender without it (its confirmation: tests/cases/
# test_lead_transfer.py).
NOT_YET = {"assistance-feedback", "lead"}


def test_every_case_page_form_confirms_what_it_did(manager: User, case: Case, make_member: Any) -> None:
    period_request(actor=manager, membership=manager.membership, case=case)  # type: ignore[attr-defined]
    shelter = make_member(Role.SERVICE_PROVIDER, AgencyType.SHELTER)
    add_service(shelter)  # somewhere to refer the person to, and to stay
    client = signed_in_as(manager)
    said, failed = {}, []
    for name, url in case_page_forms(client, case):
        if name in NOT_YET:
            continue
        answers = ANSWERS.get(name, {})
        if name == "consent":  # to the shelter, which the referral below goes to
            answers = {**answers, "consent-recipient_agency": str(shelter.membership.agency.pk)}  # type: ignore[attr-defined]
        try:
            said[name] = assert_confirmed(client, url, answers)
        except AssertionError as problem:  # every form's problem told at once
            failed.append(f"{name}: {problem}")
    assert not failed, "\n".join(failed)
    assert len(said) >= len(FORMS) + 8
    assert said["note"] == "Note added"
    assert said["reflection-extend"].startswith("Reflection period extended until ")
    assert len(set(said.values())) >= len(said) - 4, "each form says what it did, not a bare 'Saved'"


def a_note(manager: User, case: Case) -> CaseNote:
    membership = manager.membership  # type: ignore[attr-defined]
    return case_note_add(actor=manager, membership=membership, case=case, body="Called back.", tier=2)


def test_the_edit_pages_confirm(manager: User, case: Case) -> None:
    """The pages that change a record (a note, the person's details), opened from the case page: the second
    press finds its own first save (a stale version, the same values) and confirms it again."""
    note = a_note(manager, case)
    person = case.persons.get()
    client = signed_in_as(manager)
    edited = assert_confirmed(
        client, reverse("cases:note_edit", args=[case.reference, note.pk]), {"body": "Called back twice."}
    )
    assert edited == "Note changed"
    url = reverse("cases:person_edit", args=[case.reference, person.pk])
    said = assert_confirmed(client, url, {"age_estimate": ""})
    assert said == "The person's details are saved"


def test_a_stale_version_with_other_values_is_still_a_conflict(manager: User, case: Case) -> None:
    note = a_note(manager, case)
    client = signed_in_as(manager)
    url = reverse("cases:note_edit", args=[case.reference, note.pk])
    assert client.post(url, {"body": "First.", "version": note.version}, follow=True).status_code == 200
    response = client.post(url, {"body": "Second.", "version": note.version})
    assert response.status_code == 409
    assert not BANNER.search(response.content.decode())


def test_already_saved_compares_only_the_record_s_own_fields(manager: User, case: Case) -> None:
    assert already_saved(case, {"phase": case.phase, "reason": "anything", "version": 99})
    assert not already_saved(case, {"phase": "closed" if case.phase != "closed" else "identification"})
    assert not already_saved(case, {"reason": "nothing of the record's own"})
