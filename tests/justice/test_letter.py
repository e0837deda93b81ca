"""The letter to the prosecutor: a PDF in the prosecutor's language citing the rulebook's legal basis; under
identity non-disclosure it carries the pseudonym and never the real name (read back from the PDF's text)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from palermo.core.rulebooks import rulebook
from palermo.justice.letter import render_letter_html, render_letter_pdf
from palermo.justice.services.person import non_punishment_request, offence_record
from tests.factories import PersonFactory
from tests.justice.conftest import member, open_proceeding

pytestmark = pytest.mark.django_db

REAL_GIVEN, REAL_FAMILY = "Qzyxwa", "Vjkqxo"  # unmistakable if they ever leaked


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as a reader's tool extracts it (some fonts' two-byte codes leave NULs between letters;
    ligatures are off in the letter, so a name is never split into a ligature glyph)."""
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\x00", "")


@pytest.fixture
def named_case(team_case):
    PersonFactory(case=team_case, given_names=REAL_GIVEN, family_names=REAL_FAMILY)
    return team_case


def _request(manager, case, proceeding=None, language="en"):
    offence = offence_record(
        actor=manager,
        membership=member(manager),
        case=case,
        kind="forced_criminality",
        status="charged",
        link="Forced by the group to steal; LINK-7731.",
    )
    return non_punishment_request(
        actor=manager,
        membership=member(manager),
        offence=offence,
        prosecutor="Office of the Prosecutor",
        language=language,
        proceeding=proceeding,
    )


def test_under_identity_non_disclosure_the_pdf_never_names_the_person(named_case, manager, prosecutor):
    proceeding = open_proceeding(prosecutor, named_case, identity_withheld=True, pseudonym="Witness K-12")
    request = _request(manager, named_case, proceeding)
    text = pdf_text(render_letter_pdf(request))
    assert "Witness K-12" in text and "LINK-7731" in text
    assert REAL_GIVEN not in text and REAL_FAMILY not in text
    assert rulebook().justice.non_punishment_basis.split(",")[0] in text


def test_withheld_in_any_proceedings_is_enough(named_case, manager, prosecutor):
    open_proceeding(prosecutor, named_case, identity_withheld=True, pseudonym="Witness Z")
    text = pdf_text(render_letter_pdf(_request(manager, named_case)))
    assert "Witness Z" in text and REAL_GIVEN not in text


def test_without_non_disclosure_the_letter_names_the_person(named_case, manager):
    text = pdf_text(render_letter_pdf(_request(manager, named_case)))
    assert REAL_GIVEN in text and REAL_FAMILY in text


def test_the_letter_is_in_the_prosecutors_language(named_case, manager):
    html = render_letter_html(_request(manager, named_case, language="ar"))
    assert 'lang="ar"' in html and 'dir="rtl"' in html


def test_the_letter_needs_identity_and_the_duty(client_for, named_case, manager, officer, protector):
    request = _request(manager, named_case)
    letter = reverse("justice:letter", args=[named_case.reference, request.pk])
    answer = client_for(manager).get(letter)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert client_for(officer).get(letter).status_code == 404
    assert client_for(protector).get(letter).status_code == 404  # non-punishment is not its duty
