"""The case page's forms are fetched when opened (HTMX), or opened on a page of their own without script."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from tests.cases.casework import put_on_team
from tests.cases.referrals import open_case

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(first_responder, ia_agency):
    return open_case(first_responder, ia_agency)


@pytest.fixture
def person(case):
    return case.persons.get()


def test_the_case_page_renders_no_form_only_links_to_them(first_responder, client_for, case, person):
    whole_case = reverse("cases:detail_full", args=[case.reference])
    html = client_for(first_responder).get(whole_case).content.decode()
    # No country or language list, and no form's fields, in the case record's own sections.
    ours = "".join(
        part
        for part in html.split('<section id="section-')[1:]
        if part.split('"')[0] in {"lifecycle", "person", "consent", "timeline", "notes", "documents"}
    )
    assert 'id="person-heading"' in ours and 'id="consent-heading"' in ours
    for needle in ('value="UKR"', 'value="sqi"', 'name="citizenship-country"', 'name="consent-purpose"'):
        assert needle not in ours
    for name in ("citizenship", "language", "alias", "document"):
        url = reverse("cases:form_for", args=[case.reference, name, person.pk])
        assert f'hx-get="{url}"' in html and f'href="{url}"' in html
    for name in ("consent", "note", "upload", "exploitation"):
        assert f'hx-get="{reverse("cases:form", args=[case.reference, name])}"' in html


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("citizenship", 'value="UKR"'),
        ("language", 'value="sqi"'),
        ("document", 'name="document-issuing_country"'),
        ("alias", 'name="alias-name"'),
    ],
)
def test_a_person_form_comes_bare_for_htmx_and_as_a_page_without(
    first_responder, client_for, case, person, name, needle
):
    client = client_for(first_responder)
    url = reverse("cases:form_for", args=[case.reference, name, person.pk])
    bare = client.get(url, **HTMX).content.decode()
    assert needle in bare and "<html" not in bare and 'hx-target="#section-person"' in bare
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and needle in html
    assert "hx-post" not in html.split('id="main"')[-1]  # the page's own form posts plainly
    assert reverse("cases:detail", args=[case.reference]) + "#section-person" in html


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("consent", 'name="consent-purpose"'),
        ("note", 'name="body"'),
        ("upload", 'type="file"'),
        ("exploitation", 'value="ForcedLabour"'),
    ],
)
def test_the_case_forms_open(first_responder, client_for, case, name, needle):
    client = client_for(first_responder)
    response = client.get(reverse("cases:form", args=[case.reference, name]), **HTMX)
    assert response.status_code == 200 and needle in response.content.decode()


def test_the_transition_form_opens_for_a_case_manager(client_for, case_manager, case):
    put_on_team(case, case_manager)
    client = client_for(case_manager)
    page = client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    url = reverse("cases:form", args=[case.reference, "transition"])
    assert f'hx-get="{url}"' in page and 'name="transition"' not in page
    assert 'name="transition"' in client.get(url, **HTMX).content.decode()


def test_a_form_is_404_for_someone_who_may_not_use_it(first_responder, client_for, case, person, make_member):
    outsider = client_for(make_member(Role.CASE_MANAGER))
    assert outsider.get(reverse("cases:form", args=[case.reference, "note"])).status_code == 404
    client = client_for(first_responder)
    assert client.get(reverse("cases:form", args=[case.reference, "nothing"])).status_code == 404
    # A person form without a person, or for a person of another case.
    assert client.get(reverse("cases:form", args=[case.reference, "alias"])).status_code == 404
    assert (
        client.get(reverse("cases:form_for", args=[case.reference, "alias", person.pk + 999])).status_code
        == 404
    )


def test_a_refused_add_comes_back_inline_and_open(first_responder, client_for, case, person):
    client = client_for(first_responder)
    url = reverse("cases:person_citizenship_add", args=[case.reference, person.pk])
    response = client.post(url, {"citizenship-country": "XXX"}, **HTMX)
    html = response.content.decode()
    assert 'name="citizenship-country"' in html and '<details class="case-form mb-2" open>' in html
