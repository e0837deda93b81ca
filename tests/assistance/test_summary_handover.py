"""The person's summary, fit to hand over: its language chosen on a page (the person's own first), the
person's own dates, the case worker and how to reach them, dates and numbers whole inside right-to-left text,
and the same in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import get_language_info

from palermo.accounts.roles import Role
from palermo.assistance.summary import render_summary_html
from palermo.audit.models import AuditEvent
from palermo.cases.dates import DateKind
from palermo.reflection.services.periods import period_request
from tests.api.errors import api_error
from tests.assistance.test_summary import ALL_TIERS, laid_out_text, planned_case  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

PHONE = "+44 20 7946 0123"  # the range kept for drama: never anyone's


@pytest.fixture
def handed_over(planned_case, manager):  # noqa: F811  (the fixture above)
    agency = manager.membership.agency
    agency.phone, agency.email = PHONE, "duty@example.org"
    agency.save()
    period = period_request(actor=manager, membership=manager.membership, case=planned_case)
    return planned_case, period


def long_date(day, language):
    with translation.override(language):
        return date_format(day)  # the language's own (decision 0062)


def test_the_summary_states_the_persons_dates_and_who_to_call(handed_over, manager):
    case, period = handed_over
    html = render_summary_html(case, "en", ALL_TIERS)
    text = " ".join(strip_tags(html).split())
    assert "Your dates" in text
    assert f"Your reflection and recovery period ends on {long_date(period.ends_on, 'en')}." in text
    assert "The decision on whether you are presumed to be a victim of trafficking has not been taken" in text
    assert manager.display_name in text and manager.membership.agency.name in text
    assert PHONE in text and "duty@example.org" in text
    assert manager.username not in text


def test_in_arabic_dates_and_phone_numbers_are_isolated_and_keep_their_direction(handed_over):
    case, period = handed_over
    html = render_summary_html(case, "ar", ALL_TIERS)
    arabic_end = long_date(period.ends_on, "ar")
    assert f"<bdi>{arabic_end}</bdi>" in html and f'<bdi dir="ltr">{PHONE}</bdi>' in html
    _text, boxes = laid_out_text(html)
    [phone] = [box for box in boxes if box.text == PHONE]
    # A run of its own, laid out left to right inside the right-to-left page: its digit groups keep their
    # order (without it, "+44 20 7946 0123" would print as "0123 7946 20 +44").
    assert phone.style["direction"] == "ltr"
    [date] = [box for box in boxes if box.text == arabic_end]  # a run of its own too, read right to left
    assert date.style["direction"] == "rtl"


def test_the_language_is_chosen_on_a_page_the_persons_own_first(handed_over, manager, client_for):
    case, _period = handed_over
    page = client_for(manager).get(reverse("assistance:summary_page", args=[case.reference]))
    html = page.content.decode()
    # The person speaks Romanian and Arabic (tests/assistance/conftest.py): those first, Romanian chosen.
    order = [html.index(f'id="summary-lang-{code}"') for code in ("ro", "ar", "en", "fr")]
    assert order == sorted(order)
    assert 'value="ro" checked' in html and html.count(" checked") == 1
    assert f'lang="ar">{get_language_info("ar")["name_local"]}</span>' in html
    assert f'action="{reverse("assistance:summary", args=[case.reference])}"' in html


def test_only_readers_of_the_persons_story_open_it(handed_over, make_member, client_for):
    case, _period = handed_over
    responder = make_member(Role.FIRST_RESPONDER)
    client = client_for(responder)
    assert client.get(reverse("assistance:summary_page", args=[case.reference])).status_code == 404
    api_error(client.get(reverse("api-assistance-summary", args=[case.reference])), 404)
    api_error(client.get(reverse("api-assistance-summary-pdf", args=[case.reference])), 404)


def test_the_api_states_the_same_and_records_each_read(handed_over, manager, client_for):
    case, period = handed_over
    client = client_for(manager)
    prints = AuditEvent.objects.filter(action="assistance.summary_print").count()
    answer = client.get(reverse("api-assistance-summary", args=[case.reference]), {"lang": "ar"}).json()
    assert answer["language"] == "ar"
    assert [language["code"] for language in answer["languages"]][:3] == ["ro", "ar", "en"]
    kinds = {date["kind"]: date for date in answer["dates"]}
    assert kinds[DateKind.REFLECTION_ENDS]["on"] == period.ends_on.isoformat()
    assert (
        kinds[DateKind.PRESUMED_DECISION_PENDING]["since"] == timezone.localdate(case.opened_at).isoformat()
    )
    assert answer["contact"] == {
        "case_worker_display_name": manager.display_name,
        "agency": manager.membership.agency.name,
        "phone": PHONE,
        "email": "duty@example.org",
    }
    pdf = client.get(answer["pdf"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="assistance.summary_print").count() == prints + 2
