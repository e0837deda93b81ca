"""Security headers on every kind of answer: a public page, a signed-in page, a case page, a refused page
(404), an API answer and an API error, a file download, the probes. HSTS and secure cookies behind TLS are
tested in tests/core/test_settings.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.cases.casework import make_case, put_on_team

pytestmark = pytest.mark.django_db

EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def check(answer) -> None:
    for header, value in EXPECTED.items():
        assert answer.headers.get(header) == value, header
    policy = answer.headers.get("Content-Security-Policy", "")
    assert (
        "default-src 'self'" in policy
        and "frame-ancestors 'none'" in policy
        and "unsafe-inline" not in policy
    )
    assert answer.headers.get("X-Request-ID")


def test_every_kind_of_answer_carries_the_security_headers(client_for, manager, data_protection_officer):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    put_on_team(case, data_protection_officer)
    staff, dpo, anonymous = client_for(manager), client_for(data_protection_officer), Client()
    answers = {
        "public page": anonymous.get(reverse("accounts:login")),
        "probe": anonymous.get("/ready/"),
        "home": staff.get(reverse("core:home")),
        "case page": staff.get(reverse("cases:detail", args=[case.reference])),
        "refused page": staff.get(reverse("cases:detail", args=["NOT-A-CASE"])),
        "api": staff.get(reverse("api-case-documents", args=[case.reference])),
        "api error": staff.get(reverse("api-case-documents", args=["NOT-A-CASE"])),
        "download": dpo.get(reverse("privacy:export_json", args=[case.reference])),
    }
    assert answers["refused page"].status_code == 404 and answers["api error"].status_code == 404
    for kind, answer in answers.items():
        assert answer.status_code < 500, kind
        check(answer)
    assert "no-store" in answers["download"].headers.get("Cache-Control", "")
