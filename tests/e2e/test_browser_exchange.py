"""The exchange page in a real Chromium: upload an HTCDS file, watch the polled progress bar, read the result;
axe-core's WCAG 2.1 A/AA rules on each step, and no CSP violation (the polling is HTMX, no script of ours)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import expect

from palermo.accounts.roles import Role
from tests.exchange.htcds_files import good_row, htcds_text
from tests.worker import run_worker

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui


def test_upload_progress_and_result(ui: Ui, make_staff: MakeStaff, console: ConsoleLog) -> None:
    responder = make_staff(Role.FIRST_RESPONDER)
    make_staff(Role.IDENTIFICATION_AUTHORITY)  # the one authority: the form preselects it
    ui.enter(responder, "/exchange/")
    page = ui.page
    violations = {"page": ui.axe_violations()}

    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "cases.csv",
                "mimeType": "text/csv",
                "buffer": htcds_text([good_row(), good_row()]).encode(),
            }
        ],
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    progress = page.locator("#import-job progress")
    expect(progress).to_be_visible()
    violations["waiting"] = ui.axe_violations()

    run_worker()

    expect(page.locator("#import-job [role=alert]")).to_contain_text("2 cases opened", timeout=10_000)
    expect(progress).to_have_attribute("value", "100")
    violations["done"] = ui.axe_violations()

    report = [f"{name}: {problem}" for name, problems in violations.items() for problem in problems]
    assert not report, "axe-core found blocking violations:\n" + "\n".join(report)
    assert console.csp_violations() == []
    assert console.errors() == []
