"""The person's printable summary: a PDF in each shipped language, Arabic laid out right to left, the plan
and appointments in it, the person's name never, every print audited, and only for readers of narrative."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.text.ffi import ffi, pango

from palermo.assistance.services.plans import plan_create
from palermo.assistance.services.referrals import referral_accept, referral_send
from palermo.assistance.summary import (
    LANGUAGE_CODES,
    render_summary_html,
    render_summary_pdf,
)
from tests.assistance.conftest import consent_to, current

pytestmark = pytest.mark.django_db

ALL_TIERS = frozenset({1, 2, 3, 4})  # a reader of the whole record (the case manager on the team)

# A phrase of each language's summary ("Your assistance plan"), as the reader will see it.
EXPECTED = {
    "en": "Your assistance plan",
    "fr": "Votre plan d'assistance",
    "ru": "Ваш план помощи",
    "uk": "Ваш план допомоги",
    "ro": "Planul dumneavoastră de asistență",
    "sq": "Plani juaj i ndihmës",
    "es": "Su plan de asistencia",
    "ar": "خطة المساعدة الخاصة بك",
}


def laid_out_text(html: str) -> tuple[str, list]:
    """The text of the laid-out pages (after shaping and line breaking), and the text boxes."""
    document = HTML(string=html).render()
    boxes: list = []

    def walk(box):
        if hasattr(box, "text"):
            boxes.append(box)
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(box.text for box in boxes), boxes


@pytest.fixture
def planned_case(manager, lawyer, case, legal):
    person = case.persons.get()
    person.given_names, person.family_names = "Qzyxwa", "Vjkqxo"  # unmistakable if they ever leaked
    person.save()
    plan_create(
        actor=manager,
        membership=manager.membership,
        case=case,
        goals="GOAL-7731",
        review_on=timezone.localdate() + datetime.timedelta(days=30),
        services=["legal_assistance", "medical_care"],
    )
    consent_to(manager, case, legal.agency)
    referral = referral_send(actor=manager, membership=manager.membership, case=case, service=legal)
    referral_accept(
        actor=lawyer,
        membership=lawyer.membership,
        referral=referral,
        appointment_at=timezone.now() + datetime.timedelta(days=3),
        expected_version=current(referral),
    )
    return case


def test_every_language_is_shipped():
    assert set(LANGUAGE_CODES) == set(EXPECTED)


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_summary_renders_in_each_language(planned_case, legal, language):
    pdf = render_summary_pdf(planned_case, language, ALL_TIERS)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text, _boxes = laid_out_text(render_summary_html(planned_case, language, ALL_TIERS))
    assert EXPECTED[language] in text
    assert "GOAL-7731" in text and legal.agency.name.split()[0] in text and legal.contact in text
    person = planned_case.persons.get()
    assert person.given_names not in text and person.family_names not in text
    with translation.override(language):
        assert str(translation.gettext("Legal assistance")) in text


def test_arabic_is_right_to_left_and_shaped(planned_case):
    html = render_summary_html(planned_case, "ar", ALL_TIERS)
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    _text, boxes = laid_out_text(html)
    heading = next(box for box in boxes if "ملخص" in box.text)
    page_width = 210 / 25.4 * 96  # A4 in CSS pixels
    # Right to left: the heading ends at the right margin, not the left one.
    assert heading.position_x + heading.width > page_width * 0.7
    assert heading.position_x > page_width * 0.3
    glyphs = _glyph_ids(heading)
    # Covered: no glyph is missing from the fonts (Pango flags those as unknown and they print as boxes).
    assert glyphs and not any(glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG for glyph in glyphs)
    # Shaped: Arabic letters take their initial, medial or final forms, so the heading uses more distinct
    # glyphs than it has distinct letters (unshaped text would use one glyph per letter).
    characters = set(heading.text)  # letters and the space
    assert len(set(glyphs)) > len(characters)


def _runs(text_box):
    text_box.pango_layout.reactivate(text_box.style)  # WeasyPrint frees the layout after line breaking
    line, _index = text_box.pango_layout.get_first_line()
    run = line.runs[0]
    while run != ffi.NULL:
        yield run.data.glyphs
        run = run.next


def _glyph_ids(text_box) -> list[int]:
    """The glyph ids Pango chose for the box's first line, as WeasyPrint draws them."""
    return [info.glyph for glyphs in _runs(text_box) for info in glyphs.glyphs[0 : glyphs.num_glyphs]]


@pytest.mark.parametrize(
    ("rulebook", "language", "phrase"),
    [
        ("osce-2005", "en", "at least 3 months"),  # "no less than three months", said in months
        ("osce-2005", "fr", "au moins 3 mois"),
        ("osce-2005", "ar", "لا تقل عن 3 أشهر"),
        ("coe-cets197", "en", "at least 30 days"),  # art. 13: "at least 30 days"
    ],
)
def test_the_summary_states_the_period_as_the_rulebook_does(
    planned_case, settings, rulebook, language, phrase
):
    settings.PALERMO_RULEBOOK = rulebook
    assert phrase in render_summary_html(planned_case, language, ALL_TIERS)
