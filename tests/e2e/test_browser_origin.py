"""The country information pages in a real Chromium: axe-core's WCAG 2.1 A/AA rules on the search, an entry,
the form with its errors, the import's list of bad rows and the partners, in English and in Arabic (right
to left); a save is confirmed in the notification banner."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from palermo.accounts.roles import Role
from palermo.origin.services.entries import EntryData, entry_create
from palermo.origin.services.partners import PartnerData, partner_create

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui

BAD_FILE = (
    "country,region,topic,source_title,source_publisher,source_date,source_link,summary,reliability\n"
    "NGA,,weather,Report,Institute,2025-01-02,,Text.,Note.\n"
)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_country_information_pages_pass_axe(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str, tmp_path
) -> None:
    editor = make_staff(Role.CASE_MANAGER)
    membership = editor.user.memberships.get()
    data = EntryData(
        country="ALB",
        topic="stigma",
        source_title="Synthetic survey",
        source_publisher="Example Observatory",
        source_date=datetime.date(2025, 1, 5),
        summary="Sample text about stigma on return.",
        reliability="Synthetic sample.",
    )
    entry = entry_create(actor=editor.user, membership=membership, data=data, is_sample=True)
    partner_create(
        actor=editor.user,
        membership=membership,
        data=PartnerData(
            name="Sample Partner", kind="ngo", country="ALB", services=["reception"], languages=["sqi"]
        ),
    )
    ui.enter(editor, "/origin/")
    if language != "en":
        ui.switch_language(language)
    found: dict[str, list[str]] = {"search": ui.axe_violations()}
    expect(ui.page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")

    ui.open(f"/origin/entries/{entry.pk}/")
    found["entry"] = ui.axe_violations()
    ui.page.locator("form[action$='/review/'] button[type=submit]").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator(".alert-success, [role=status]").first).to_be_visible()

    ui.open("/origin/entries/new/")
    ui.submit_main_form()
    expect(ui.page.locator("#error-summary")).to_be_visible()
    found["entry form with errors"] = ui.axe_violations()

    bad = tmp_path / "entries.csv"
    bad.write_text(BAD_FILE)
    ui.open("/origin/entries/import/")
    ui.page.locator("#id_file").set_input_files(str(bad))
    ui.submit_main_form()
    expect(ui.page.locator("#problems")).to_be_visible()
    found["import with problems"] = ui.axe_violations()

    ui.open("/origin/partners/")
    found["partners"] = ui.axe_violations()

    report = [f"{page}: {problem}" for page, problems in found.items() for problem in problems]
    assert not report, "axe-core found blocking violations:\n" + "\n".join(report)
    assert console.csp_violations() == []
    # The two refused forms answer 400 (their page with the error summary), which the browser logs.
    assert [message for message in console.errors() if "status of 400" not in message] == []
