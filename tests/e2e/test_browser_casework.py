"""The case-work pages in a real Chromium, in English and Arabic: a case with records in every area (the
demo loaders, through the same services as real work), a child's case, a form of the case page fetched with
HTMX when opened, the due and overdue screen, the service directory, a residence application, the removal
look-up and the quality screen; on each page the language and direction, axe-core's WCAG 2.1 A/AA rules,
no CSP violation and no console error."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from palermo.accounts.models import User
from palermo.cases.models import Case, IdentityDocument
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.areas import AREA_LOADERS
from palermo.demo.cases import load_demo_cases

from .conftest import Member
from .test_browser_accessibility import check_page

if TYPE_CHECKING:
    from .conftest import ConsoleLog, Ui

LANGUAGES = ["en", "ar"]
# Enough synthetic cases for an adult past the reflection phase and a child past identification.
CASES = 18
SECTIONS = (
    "lifecycle",
    "person",
    "consent",
    "identification",
    "reflection",
    "residence",
    "assistance",
    "timeline",
    "notes",
    "documents",
)


@dataclass(frozen=True)
class CaseWork:
    """The demo users, and the cases they work on."""

    case_manager: Member
    migration_officer: Member
    rapporteur: Member
    adult: Case  # records in every area but the children's
    child: Case
    application_id: int
    document_number: str


def demo_member(username: str, password: str) -> Member:
    user = User.objects.get(username=username)
    return Member(user=user, password=password, device=TOTPDevice.objects.get(user=user))


def build_case_work() -> CaseWork:
    password = secrets.token_urlsafe(18)
    load_demo_accounts(password)
    load_demo_cases(CASES)
    cases = list(Case.objects.order_by("pk"))
    for _, load in AREA_LOADERS:  # in the order seed_demo runs them
        load(cases)
    adult = (
        Case.objects.filter(
            is_child=False,
            residence_applications__isnull=False,
            assistance_plans__isnull=False,
            reflection_period__isnull=False,
            persons__identity_documents__isnull=False,
        )
        .distinct()
        .order_by("pk")
        .first()
    )
    child = (
        Case.objects.filter(guardianships__isnull=False, best_interest_procedures__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )
    assert adult is not None and child is not None, "the demo loaders made no case to look at"
    document = IdentityDocument.objects.filter(person__case=adult).first()
    assert document is not None
    return CaseWork(
        case_manager=demo_member("demo.casemanager", password),
        migration_officer=demo_member("demo.migration", password),
        rapporteur=demo_member("demo.rapporteur", password),
        adult=adult,
        child=child,
        application_id=adult.residence_applications.order_by("pk").values_list("pk", flat=True)[0],
        document_number=document.number,
    )


def visit(ui: Ui, path: str, language: str, found: dict[str, list[str]], name: str) -> None:
    response = ui.page.goto(path)
    assert response is not None and response.status == 200, (
        f"{name}: {path} answered {response and response.status}"
    )
    expect(ui.page.locator("main h1")).to_have_count(1)
    check_page(ui, language, found, name)


def test_case_work_pages_pass_axe_in_each_language(ui: Ui, console: ConsoleLog) -> None:
    """English, then Arabic, on one set of demo records (the loaders take longer than either walk)."""
    work = build_case_work()
    found: dict[str, list[str]] = {}
    for language in LANGUAGES:
        ui.page.context.clear_cookies()  # each language a person of its own, from the login page
        walk_case_work(ui, work, language, found)

    report = [f"{name}: {problem}" for name, problems in found.items() for problem in problems]
    assert not report, "axe-core found blocking violations:\n" + "\n".join(report)
    assert console.csp_violations() == []
    assert console.errors() == []


def walk_case_work(ui: Ui, work: CaseWork, language: str, found: dict[str, list[str]]) -> None:
    page = ui.page
    seen: dict[str, list[str]] = {}

    ui.open("/accounts/login/")
    if language != "en":
        ui.switch_language(language)  # through the switcher on the page, as a person would
    ui.enter(work.case_manager)
    expect(page.locator("main h1")).to_have_count(1)

    for name, case in (("adult's case", work.adult), ("child's case", work.child)):
        visit(ui, f"/cases/{case.reference}/", language, seen, name)
        for area in SECTIONS:
            expect(page.locator(f"#section-{area}")).to_have_count(1)
    expect(page.locator("#section-children")).to_have_count(1)  # on the child's case

    # A folded form of the case page: opening it fetches the form over HTMX.
    folded = page.locator("#section-notes details.case-form[hx-get]")
    folded.locator("summary").click()
    expect(folded.locator(".case-form-body form")).to_have_count(1)
    expect(
        folded.locator(".case-form-body form :is(textarea, select, input:not([type=hidden]))").first
    ).to_be_visible()
    check_page(ui, language, seen, "child's case with a form open")

    visit(ui, "/deadlines/", language, seen, "due and overdue")
    expect(page.locator("main table")).not_to_have_count(0)
    visit(ui, "/assistance/", language, seen, "service directory")
    visit(
        ui,
        f"/residence/{work.adult.reference}/applications/{work.application_id}/",
        language,
        seen,
        "application",
    )
    ui.sign_out()

    ui.enter(work.migration_officer)
    visit(ui, "/reflection/lookup/", language, seen, "removal look-up")
    page.locator("#id_document_number").fill(work.document_number)
    ui.submit_main_form()
    expect(page.locator("#lookup-answer")).to_be_visible()
    expect(page.locator("#lookup-answer")).to_have_class(re.compile(r"\balert-warning\b"))  # protected
    check_page(ui, language, seen, "removal look-up answered")
    ui.sign_out()

    ui.enter(work.rapporteur)
    visit(ui, "/assistance/quality/", language, seen, "quality of services")
    found.update({f"{name} ({language})": problems for name, problems in seen.items()})
