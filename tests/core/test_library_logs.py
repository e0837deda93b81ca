"""The operator's log holds what the platform says, not every step of the libraries it uses."""

import logging

import pytest


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG], ids=["info", "debug"])
def test_rendering_a_pdf_logs_nothing_below_a_warning(caplog, level):
    from weasyprint import HTML

    with caplog.at_level(level):
        pdf = HTML(string="<p>Synthetic page</p>").write_pdf()
    assert pdf.startswith(b"%PDF")
    chatty = [r for r in caplog.records if r.name.split(".")[0] in {"weasyprint", "fontTools"}]
    assert chatty == []
