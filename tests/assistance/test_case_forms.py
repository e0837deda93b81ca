"""The assistance section's forms are folded away: fetched when opened (HTMX), a page of their own without
script, 404 for whoever may not submit them, and given back inline and open when a post is refused."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.assistance.services.placements import placement_start
from palermo.assistance.services.plans import plan_create
from palermo.assistance.services.referrals import (
    referral_accept,
    referral_close,
    referral_complete,
    referral_send,
)
from tests.assistance.conftest import consent_to, current
from tests.cases.casework import htmx, put_on_team
from tests.queries import Queries

pytestmark = pytest.mark.django_db

OPEN = '<details class="case-form mb-2" open>'
# Fields and option lists that must not be in the section until a form is opened.
FIELDS = ("<option", "<select", "<textarea", 'name="service"', 'name="goals"', 'name="needs"', 'name="kind"')
FIELDS += ('name="rating"', 'name="reason"', 'name="address"')


@pytest.fixture
def worked(manager, lawyer, case, legal, shelter):
    """A case with two ended referrals (each waiting for the person's feedback), a plan and a stay."""
    consent_to(manager, case, legal.agency)
    ended = []
    provider = {"actor": lawyer, "membership": lawyer.membership}
    for finish in ("complete", "close"):
        referral = referral_send(actor=manager, membership=manager.membership, case=case, service=legal)
        referral_accept(**provider, referral=referral, expected_version=current(referral))
        if finish == "complete":
            referral_complete(
                **provider, referral=referral, service_given="advice", expected_version=current(referral)
            )
        else:
            referral_close(
                **provider, referral=referral, note="moved away", expected_version=current(referral)
            )
        ended.append(referral)
    plan = plan_create(
        actor=manager,
        membership=manager.membership,
        case=case,
        goals="Safety first",
        review_on=timezone.localdate() + datetime.timedelta(days=30),
        services=["education"],
    )
    placement = placement_start(
        actor=manager, membership=manager.membership, case=case, service=shelter, address="somewhere"
    )
    return SimpleNamespace(case=case, plan=plan, referrals=ended, placement=placement)


def form_url(case, name, target=None):
    if target is None:
        return reverse("cases:form", args=[case.reference, name])
    return reverse("cases:form_for", args=[case.reference, name, target])


def targets(worked):
    """Each folded form of the section, with the record it is for."""
    return {
        "assistance-assessment": None,
        "assistance-plan": None,
        "assistance-plan-service": worked.plan.pk,
        "assistance-referral": None,
        "assistance-feedback": worked.referrals[0].pk,
        "assistance-placement": None,
        "assistance-placement-end": worked.placement.pk,
    }


def section(client, case):
    response = client.get(reverse("cases:section", args=[case.reference, "assistance"]), **htmx())
    assert response.status_code == 200
    return response.content.decode()


def test_the_section_holds_no_form_and_reads_no_directory(manager, worked, client_for):
    client = client_for(manager)
    with Queries() as queries:
        html = section(client, worked.case)
    for needle in FIELDS:
        assert needle not in html, needle
    assert not any('FROM "assistance_providerservice"' in query["sql"] for query in queries)
    # The plan is drawn up only while none is active.
    shown = {name: target for name, target in targets(worked).items() if name != "assistance-plan"}
    shown_urls = [form_url(worked.case, name, target) for name, target in shown.items()]
    shown_urls.append(form_url(worked.case, "assistance-feedback", worked.referrals[1].pk))
    for url in shown_urls:
        assert f'hx-get="{url}"' in html and f'href="{url}"' in html, url
    assert OPEN not in html


def test_drawing_up_a_plan_is_offered_while_none_is_active(manager, case, client_for):
    html = section(client_for(manager), case)
    assert f'hx-get="{form_url(case, "assistance-plan")}"' in html and 'name="goals"' not in html


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("assistance-assessment", 'name="needs"'),
        ("assistance-plan", 'name="goals"'),
        ("assistance-plan-service", 'name="kind"'),
        ("assistance-referral", 'name="service"'),
        ("assistance-feedback", 'name="rating"'),
        ("assistance-placement", 'name="address"'),
        ("assistance-placement-end", 'name="reason"'),
    ],
)
def test_each_form_opens_bare_for_htmx(manager, worked, client_for, name, needle):
    url = form_url(worked.case, name, targets(worked)[name])
    response = client_for(manager).get(url, **htmx())
    html = response.content.decode()
    assert response.status_code == 200 and needle in html
    assert "<html" not in html and 'hx-target="#section-assistance"' in html


def test_the_option_lists_come_with_the_forms(manager, worked, legal, shelter, client_for):
    client = client_for(manager)
    referral = client.get(form_url(worked.case, "assistance-referral"), **htmx()).content.decode()
    assert f'<option value="{legal.pk}">' in referral
    placement = client.get(form_url(worked.case, "assistance-placement"), **htmx()).content.decode()
    assert f'<option value="{shelter.pk}">' in placement


def test_a_form_opens_on_a_page_of_its_own_without_script(manager, worked, client_for):
    url = form_url(worked.case, "assistance-feedback", worked.referrals[1].pk)
    page = client_for(manager).get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and 'name="rating"' in html
    assert "hx-post" not in html.split('id="main"')[-1]  # the page's own form posts plainly
    action = reverse("assistance:referral_feedback", args=[worked.case.reference, worked.referrals[1].pk])
    assert f'action="{action}"' in html
    assert reverse("cases:detail", args=[worked.case.reference]) + "#section-assistance" in html


def test_the_forms_are_404_for_a_provider_on_the_team(make_member, worked, client_for):
    """A service provider on the team writes case metadata only: no form of the section is theirs."""
    provider = make_member(Role.SERVICE_PROVIDER)
    put_on_team(worked.case, provider)
    client = client_for(provider)
    html = section(client, worked.case)
    assert "/forms/assistance-" not in html
    for name, target in targets(worked).items():
        assert client.get(form_url(worked.case, name, target), **htmx()).status_code == 404, name


def test_a_migration_officer_may_refer_and_nothing_more(make_member, worked, client_for):
    officer = make_member(Role.MIGRATION_OFFICER)
    put_on_team(worked.case, officer)
    client = client_for(officer)
    html = section(client, worked.case)
    for name, target in targets(worked).items():
        url = form_url(worked.case, name, target)
        allowed = name == "assistance-referral"
        assert (f'hx-get="{url}"' in html) == allowed, name
        assert client.get(url, **htmx()).status_code == (200 if allowed else 404), name
    # Without the narrative tier, the referral asks for no specific needs.
    referral = client.get(form_url(worked.case, "assistance-referral"), **htmx()).content.decode()
    assert 'name="service"' in referral and 'name="specific_needs"' not in referral


def test_a_form_for_another_record_or_without_one_is_404(manager, worked, client_for):
    client = client_for(manager)
    for name in ("assistance-plan-service", "assistance-feedback", "assistance-placement-end"):
        assert client.get(form_url(worked.case, name), **htmx()).status_code == 404, name
        assert client.get(form_url(worked.case, name, 999_999), **htmx()).status_code == 404, name


def refused_posts(worked, legal):
    case, reference = worked.case, worked.case.reference
    return [
        (reverse("assistance:assessment_add", args=[reference]), {}, 'id="id_assess_needs_error"'),
        (
            reverse("assistance:plan_service_add", args=[reference, worked.plan.pk]),
            {"kind": "nothing"},
            'id="id_plan_service_kind_error"',
        ),
        (
            reverse("assistance:referral_feedback", args=[reference, worked.referrals[1].pk]),
            {"rating": "9"},
            f'id="id_feedback_{worked.referrals[1].pk}_rating_error"',
        ),
        (
            reverse("assistance:placement_add", args=[reference]),
            {"service": "nothing"},
            'id="id_placement_service_error"',
        ),
        (
            reverse("assistance:placement_end", args=[reference, worked.placement.pk]),
            {"reason": "nothing"},
            f'id="id_end_{worked.placement.pk}_reason_error"',
        ),
        (
            reverse("assistance:referral_add", args=[case.reference]),
            {"service": "nothing"},
            'id="id_referral_service_error"',
        ),
    ]


def test_a_refused_post_comes_back_inline_and_open(manager, worked, legal, client_for):
    client = client_for(manager)
    for url, data, error in refused_posts(worked, legal):
        response = client.post(url, data, **htmx())
        html = response.content.decode()
        assert response.status_code == 200 and "HX-Trigger" not in response, url
        assert html.lstrip().startswith('<section id="section-assistance"'), url
        assert html.count(OPEN) == 1 and error in html.split(OPEN, 1)[1], url


def test_a_refused_plan_and_referral_come_back_inline_and_open(manager, case, legal, client_for):
    client = client_for(manager)
    plan = client.post(reverse("assistance:plan_add", args=[case.reference]), {"goals": ""}, **htmx())
    assert OPEN in plan.content.decode() and 'id="id_plan_goals_error"' in plan.content.decode()
    # No consent to that provider: the service refuses, and says why in the open form.
    url = reverse("assistance:referral_add", args=[case.reference])
    referral = client.post(url, {"service": legal.pk}, **htmx()).content.decode()
    assert OPEN in referral and "No valid consent" in referral.split(OPEN, 1)[1]
    assert f'<option value="{legal.pk}" selected>' in referral


def test_every_element_id_is_unique_with_every_form_opened(manager, worked, client_for):
    client = client_for(manager)
    html = client.get(reverse("cases:detail_full", args=[worked.case.reference])).content.decode()
    urls = re.findall(r'hx-get="(/cases/[^"]+/forms/assistance-[^"]+)"', html)
    assert len(urls) == 7  # assessment, plan's service, two feedbacks, referral, stay and its end
    for url in re.findall(r'hx-get="(/cases/[^"]+/forms/[^"]+)"', html):
        html += client.get(url, **htmx()).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
