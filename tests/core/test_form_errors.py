"""Every form's error path, walked over the pages: each form a user may use, sent empty as that user would
(its hidden fields only), answers with its errors and changes nothing. The GOV.UK error summary is at the
top, says "There is a problem", is an alert that can take focus, and links each problem to a field that is
on the page; the page's title starts with "Error:". A missing answer is named in the project's words.

The case page's forms are walked through their registry (cases:form), so a form an area registers later is
walked too; the forms of their own pages are listed below.
"""

from __future__ import annotations

import re
from functools import cache
from html import unescape

import pytest
from django.apps import apps
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.cases.services.notes import case_note_add
from palermo.cases.views.case_forms import FORMS
from palermo.reflection.services.periods import period_request
from tests.cases.casework import htmx, make_case, put_on_team
from tests.conftest import signed_in_as
from tests.core.case_forms import case_page_forms, forms_case

pytestmark = pytest.mark.django_db

# The shell's own forms (language, sign-out) are not the page's form.
SHELL_ACTIONS = ("/i18n/setlang/", "/accounts/logout/")
# Rows the request itself writes whatever the form: the audit record of reads, sessions, devices' counters.
UNCOUNTED_APPS = {"audit", "sessions", "otp_totp", "otp_static", "contenttypes", "admin", "auth"}
# A refused sign-in is counted against its network address on purpose (the limiter's door sign_in_address).
UNCOUNTED_MODELS = {"access.LimitCount"}

CASE_PAGE_AREAS = ("/cases/NRM", "/assistance/cases/", "/residence/", "/reflection/")
POST_FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S)
SUMMARY = re.compile(
    r'<div class="alert alert-danger app-error-summary" id="(?P<id>error-summary[\w-]*)" role="alert" '
    r'tabindex="-1" autofocus[^>]*>(?P<body>.*?)</div>',
    re.S,
)


@cache
def counted_tables() -> dict[str, str]:
    """The table of every counted model (a proxy shares its concrete model's), by the model's label."""
    return {
        model._meta.label: model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label not in UNCOUNTED_APPS
        and model._meta.label not in UNCOUNTED_MODELS
        and not model._meta.proxy
    }


def rows() -> dict[str, object]:
    """How many rows each table holds (every row, in one statement), and every case as it stands: a refused
    form leaves both alone."""
    tables = counted_tables()
    quote = connection.ops.quote_name
    counts = " UNION ALL ".join(
        f"SELECT {number}, COUNT(*) FROM {quote(table)}"  # noqa: S608 - the models' own table names
        for number, table in enumerate(tables.values())
    )
    with connection.cursor() as cursor:
        cursor.execute(counts)
        by_number = dict(cursor.fetchall())
    state: dict[str, object] = {label: by_number[number] for number, label in enumerate(tables)}
    state["cases"] = [model_to_dict(case) for case in Case.objects.order_by("pk")]
    return state


def page_form(page: str, url: str) -> tuple[str, dict[str, str]]:
    """The page's own form: where it posts, and what it sends untouched (hidden fields, a named button)."""
    for match in POST_FORM.finditer(page):
        attrs = match["attrs"]
        if 'method="post"' not in attrs:
            continue
        action = re.search(r'action="([^"]*)"', attrs)
        target = unescape(action[1]) if action and action[1] else url
        if target.startswith(SHELL_ACTIONS):
            continue
        data = {}
        for tag in re.findall(r'<input\b[^>]*type="hidden"[^>]*>', match["body"]):
            name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
            if name and name[1] != "csrfmiddlewaretoken":
                data[name[1]] = unescape(value[1]) if value else ""
        named = r'<button\b[^>]*type="submit"[^>]*name="([^"]*)"[^>]*value="([^"]*)"[^>]*class="([^"]*)"'
        buttons = re.findall(named, match["body"])
        main = [button for button in buttons if "btn-primary" in button[2].split()] or buttons
        if main:  # the page's main action (the intake's "Submit", not "Save draft")
            data[main[0][0]] = unescape(main[0][1])
        return target, data
    raise AssertionError(f"no form on {url}")


def assert_refused_with_summary(client: Client, url: str, invalid: dict[str, str] | None = None) -> None:
    page = client.get(url)
    assert page.status_code == 200, url
    action, data = page_form(page.content.decode(), url)
    data.update(invalid or {})
    before = rows()
    response = client.post(action, data)
    body = response.content.decode()
    assert response.status_code in {200, 400}, (url, response.status_code)
    assert rows() == before, f"{url}: a refused form changed something"
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    assert title and title[1].strip().startswith("Error:"), (url, title)
    summary = SUMMARY.search(body)
    assert summary, f"{url}: no error summary"
    assert "There is a problem" in summary["body"]
    assert "This field is required." not in body, f"{url}: Django's words, not the project's"
    problems = re.findall(r"<li>", summary["body"])
    assert problems, f"{url}: an empty summary"
    for anchor in re.findall(r'href="#([^"]+)"', summary["body"]):
        assert f'id="{anchor}"' in body, f"{url}: the summary links to #{anchor}, which is not on the page"
    assert body.count(f'id="{summary["id"]}"') == 1
    # The same post from the case page's script: its section comes back with the summary, to be swapped in.
    if action.startswith(CASE_PAGE_AREAS):
        swapped = client.post(action, data, **htmx())
        assert swapped.status_code in {200, 400}
        assert SUMMARY.search(swapped.content.decode()), f"{url}: no error summary over HTMX"
        assert rows() == before


@pytest.fixture
def case(manager: User, authority: User, responder: User) -> Case:
    return forms_case(manager, authority, responder)


# Forms whose every field may be left empty (an empty answer clears it): sent with a value not on offer.
INVALID = {
    "contact": {"contact_channel": "not-a-channel"},
    "exploitation": {"exploitation_forms": "not-a-form"},
}


def test_every_case_page_form_shows_the_summary(manager: User, case: Case) -> None:
    period_request(actor=manager, membership=manager.membership, case=case)  # type: ignore[attr-defined]
    client = signed_in_as(manager)
    walked = []
    for name, url in case_page_forms(client, case):
        assert_refused_with_summary(client, url, INVALID.get(name))
        walked.append(name)
    assert len(walked) >= len(FORMS) + 8


def test_the_edit_pages_show_the_summary(manager: User, case: Case) -> None:
    """The pages that change a record (a note, the person's details), opened from the case page."""
    note = case_note_add(
        actor=manager,
        membership=manager.membership,  # type: ignore[attr-defined]
        case=case,
        body="Called back.",
        tier=2,
    )
    person = case.persons.get()
    client = signed_in_as(manager)
    assert_refused_with_summary(client, reverse("cases:note_edit", args=[case.reference, note.pk]))
    assert_refused_with_summary(client, reverse("cases:person_edit", args=[case.reference, person.pk]))


# (page, who uses it, URL name, on which case: "case", "child" or none, more URL arguments)
PAGES: list[tuple[str, Role | str, str, str, tuple[str, ...]]] = [
    ("intake", "responder", "cases:intake", "", ()),
    ("anonymous", Role.FIRST_RESPONDER, "anonymous:new", "", ()),
    ("decisions", "authority", "identification:decisions", "case", ()),
    ("screenings", "responder", "identification:screenings", "case", ()),
    ("legal", "responder", "identification:legal", "case", ()),
    ("team", "manager", "access:case_team", "case", ()),
    ("break-glass", Role.PROTECTION_OFFICER, "access:break_glass", "", ()),
    ("best interest", "manager", "children:action", "child", ("best-interest",)),
    ("care", "manager", "children:action", "child", ("care",)),
    ("guardian", "manager", "children:action", "child", ("guardian",)),
    ("service", Role.SYSTEM_ADMINISTRATOR, "assistance:service_new", "", ()),
    ("removal check", Role.MIGRATION_OFFICER, "reflection:lookup", "", ()),
]


def test_the_sign_in_form_shows_the_summary(db: None) -> None:
    assert_refused_with_summary(Client(), reverse("accounts:login"))


@pytest.mark.parametrize(("page", "role", "name", "on", "more"), PAGES, ids=[page[0] for page in PAGES])
def test_every_form_page_shows_the_summary(
    page: str,
    role: Role | str,
    name: str,
    on: str,
    more: tuple[str, ...],
    request: pytest.FixtureRequest,
    case: Case,
    manager: User,
) -> None:
    user = request.getfixturevalue(role if isinstance(role, str) else role.value)
    child = make_case(manager.membership.agency, is_child=True)  # type: ignore[attr-defined]
    put_on_team(child, manager)
    reference = {"case": [case.reference], "child": [child.reference]}.get(on, [])
    assert_refused_with_summary(signed_in_as(user), reverse(name, args=[*reference, *more]))
