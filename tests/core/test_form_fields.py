"""The shared field template (core/field.html) and form kernel (palermo.core.forms), on every form alike: an
optional question says "(optional)" and a required one does not; a lone checkbox and a list's filters are
not marked; no answer is chosen for the person unless it is the only one; a text with a limit carries its
character count; a long list (countries, languages) is marked for the type-ahead; choices are fieldsets."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dates import MONTHS

from palermo.accounts.models import Agency
from palermo.accounts.roles import Role
from palermo.anonymous.forms import NotificationForm
from palermo.cases.filters import CaseMetadataFilter
from palermo.cases.forms_intake import IntakeForm
from palermo.cases.models import Case
from palermo.core import iso
from palermo.core.forms import (
    DJANGO_BLANK_LABEL,
    FilterForm,
    MonthField,
    StyledForm,
    StyledModelForm,
    optional_choice,
)
from tests.cases.casework import team_case
from tests.children.conftest import give_consent


class Sample(StyledForm):
    name = forms.CharField(label="Name", max_length=40)
    nickname = forms.CharField(label="Nickname", max_length=40, required=False)
    story = forms.CharField(label="Story", max_length=500, required=False, widget=forms.Textarea)
    agreed = forms.BooleanField(label="Agreed", required=False)
    colour = forms.ChoiceField(label="Colour", choices=[("red", "Red"), ("blue", "Blue")], initial="red")
    size = forms.ChoiceField(
        label="Size", choices=[("s", "Small"), ("m", "Medium")], initial="s", widget=forms.RadioSelect
    )
    only = forms.ChoiceField(label="Only", choices=[("one", "The one")], initial="one")
    country = forms.ChoiceField(label="Country", choices=iso.country_choices, required=False)
    languages = forms.MultipleChoiceField(label="Languages", choices=iso.language_choices, required=False)
    count = forms.IntegerField(label="Count", required=False)
    shade = optional_choice("Shade", [("light", "Light"), ("dark", "Dark")], help_text="If it matters.")


class Filters(FilterForm):
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], required=False, initial="a")


def rendered(form: forms.Form, name: str) -> str:
    return render_to_string("core/field.html", {"field": form[name]})


def label_of(html: str) -> str:
    found = re.search(r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>", html, re.S)
    assert found
    return found.group(1).strip()


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("name", "Name"),
        ("nickname", "Nickname (optional)"),
        ("story", "Story (optional)"),
        ("agreed", "Agreed"),  # a lone checkbox is its own answer
        ("size", "Size"),
        ("count", "Count (optional)"),
        ("languages", "Languages (optional)"),
        ("shade", "Shade (optional)"),
    ],
)
def test_optional_questions_say_so_and_required_ones_do_not(name: str, label: str) -> None:
    assert label_of(rendered(Sample(), name)) == label


def test_an_optional_choice_offers_a_dash_for_none_first() -> None:
    field = Sample().fields["shade"]
    assert isinstance(field, forms.ChoiceField)
    assert field.choices == [("", "—"), ("light", "Light"), ("dark", "Dark")]
    assert not field.required and field.help_text == "If it matters."
    assert Sample(data={"name": "A", "colour": "red", "size": "s", "only": "one"}).is_valid()


def test_a_lists_filters_are_not_marked_and_keep_their_first_choice() -> None:
    form = Filters()
    assert label_of(rendered(form, "kind")) == "Kind"
    assert form.fields["kind"].initial == "a"


def test_no_answer_is_chosen_for_the_person_unless_it_is_the_only_one() -> None:
    form = Sample()
    assert form.fields["colour"].initial is None
    assert form.fields["size"].initial is None
    assert form.fields["only"].initial == "one"
    colour = rendered(form, "colour")
    assert re.search(r'<option value="" selected>', colour)  # an empty first option, not "Red"
    assert "checked" not in rendered(form, "size")
    sent = Sample(data={"name": "A"})
    assert not sent.is_valid()
    assert sent.errors["colour"] == ["Choose an answer to “Colour”."]
    assert sent.errors["size"] == ["Choose an answer to “Size”."]


@pytest.mark.django_db
def test_the_referral_chooses_neither_a_contact_nor_a_gender_nor_who_consented() -> None:
    """A labour inspector's referral must not start as a police operation."""
    form = IntakeForm()
    for name in ("contact_channel", "gender", "consent_given_by"):
        assert form[name].value() in (None, ""), name
    page = "".join(rendered(form, name) for name in ("contact_channel", "gender", "consent_given_by"))
    assert 'value="police" selected' not in page and "checked" not in page
    anonymous = NotificationForm()
    assert anonymous["gender"].value() in (None, "") and anonymous["age_group"].value() in (None, "")


def test_a_text_with_a_limit_carries_its_character_count() -> None:
    story = rendered(Sample(), "story")
    assert 'data-character-count="500"' in story
    assert 'id="id_story_count"' in story and 'aria-live="polite"' in story
    assert "You can enter up to 500 characters" in story
    assert "You have {n} characters remaining" in story and "You have {n} characters too many" in story
    assert "data-character-count" not in rendered(Sample(), "count")


def test_a_search_term_in_a_lists_filters_has_no_character_count() -> None:
    class Search(FilterForm):
        reference = forms.CharField(label="Case reference", max_length=40, required=False)

    html = rendered(Search(), "reference")
    assert "data-character-count" not in html and "characters" not in html


class Agencies(StyledModelForm):
    """A model form: a chosen agency (a model choice) and a closure reason (a model field's blank choice)."""

    class Meta:
        model = Case
        fields = ["lead_agency", "closure_reason"]


class AgencyFilters(FilterForm):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), required=False)


@pytest.mark.django_db
def test_no_list_starts_with_django_s_dashes() -> None:
    """A list's empty choice says "Choose" in a form and "Any" in a list's filters, never "---------"."""
    form = Agencies()
    for name in ("lead_agency", "closure_reason"):
        html = rendered(form, name)
        assert DJANGO_BLANK_LABEL not in html and re.search(r'<option value=""( selected)?>Choose</', html), (
            name
        )
    html = rendered(AgencyFilters(), "agency")
    assert DJANGO_BLANK_LABEL not in html and re.search(r'<option value=""( selected)?>Any</', html)
    search = CaseMetadataFilter(queryset=Case.objects.none()).form
    for name in ("status", "phase", "agency", "exploitation"):
        html = rendered(search, name)
        assert DJANGO_BLANK_LABEL not in html and ">Any</option>" in html, name


def test_long_lists_are_marked_for_the_type_ahead() -> None:
    form = Sample()
    assert 'data-type-ahead="single"' in rendered(form, "country")
    assert 'data-type-ahead="multiple"' in rendered(form, "languages")
    assert "data-type-ahead" not in rendered(form, "colour")


def test_choices_are_a_fieldset_with_one_form_check_each() -> None:
    html = rendered(Sample(), "size")
    assert html.count('<div class="form-check">') == 2
    assert (
        '<fieldset class="mb-3 app-field app-choices"' in html and '<legend class="form-label fs-6">' in html
    )
    checkbox = rendered(Sample(), "agreed")
    assert 'class="mb-3 form-check app-field"' in checkbox
    assert checkbox.index("<input") < checkbox.index("<label")


@pytest.mark.django_db
def test_texts_outside_the_field_template_count_their_characters_too(client_for, make_member) -> None:
    """The withdrawal of a consent is written by hand in its section; it carries the same count."""
    manager = make_member(Role.CASE_MANAGER)
    case = team_case(manager)
    consent = give_consent(manager, case)
    page = client_for(manager).get(f"/cases/{case.reference}/all/").content.decode()
    assert '<div class="mb-2" data-character-count="500">' in page
    assert f'id="withdraw-note-{consent.pk}-count"' in page


def test_one_month_field_reads_a_year_and_month_and_says_plainly_what_it_wants():
    class Months(StyledForm):
        began = MonthField(label="Began", required=True)
        ended = MonthField(label="Ended", required=False)

    # The two parts as the page posts them, or a "YYYY-MM" as a script posts it.
    form = Months({"began_month": "03", "began_year": " 2024 ", "ended_month": "", "ended_year": ""})
    assert form.is_valid() and form.cleaned_data == {"began": datetime.date(2024, 3, 1), "ended": None}
    assert Months({"began": "2024-03"}).is_valid()
    refused = Months({"began_month": "", "began_year": "2024", "ended_month": "03", "ended_year": "24"})
    assert not refused.is_valid()
    assert refused.errors == {
        "began": ["Choose the month."],
        "ended": ["Give the year as four digits, for example 2019."],
    }
    assert Months({"began_month": "03", "began_year": ""}).errors == {
        "began": ["Give the year, for example 2019."]
    }
    assert Months({}).errors == {"began": ["Enter “Began”."]}


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_month_is_chosen_by_its_name_in_the_page_s_language_and_its_year_typed(language):
    class Months(StyledForm):
        began = MonthField(label="Began", required=True)

    with translation.override(language):
        html = str(Months(initial={"began": datetime.date(2019, 3, 1)})["began"])
        march = str(MONTHS[3])
    assert 'type="month"' not in html  # the browser's own field speaks the browser's language
    assert f'<option value="03" selected>{march}</option>' in html
    assert 'id="id_began_month"' in html and 'id="id_began_year"' in html and 'value="2019"' in html


def _date_widgets() -> list[tuple[str, forms.Widget]]:
    """Every date and date-and-time widget declared on a form or a list's filters anywhere in the project."""
    import importlib
    import pkgutil

    import django_filters

    import palermo

    for module in pkgutil.walk_packages(palermo.__path__, "palermo."):
        if ".migrations" not in module.name and ".management." not in module.name:
            importlib.import_module(module.name)

    def subclasses(base: type) -> list[type]:
        found = []
        for sub in base.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    fields = [
        (f"{form.__module__}.{form.__name__}.{name}", field)
        for form in subclasses(forms.BaseForm)
        if form.__module__.startswith("palermo.")
        for name, field in getattr(form, "base_fields", {}).items()
    ] + [
        (f"{filters.__module__}.{filters.__name__}.{name}", each.field)
        for filters in subclasses(django_filters.FilterSet)
        if filters.__module__.startswith("palermo.")
        for name, each in filters.base_filters.items()
    ]
    return [
        (name, field.widget)
        for name, field in fields
        if getattr(field.widget, "input_type", "") in ("date", "datetime-local")
    ]


def test_every_date_input_holds_the_day_as_the_browser_reads_it_in_every_language() -> None:
    """A browser's date input takes only YYYY-MM-DD (a date-and-time input YYYY-MM-DDTHH:MM): a day written
    the page language's way ("05/01/2026" in French, "05.01.2026" in Russian) is dropped and the field shown
    empty, so an edit form would lose its dates. Every form's date input writes the browser's form in every
    language of the interface."""
    from django.conf import settings
    from django.utils import translation

    widgets = _date_widgets()
    assert len(widgets) > 40  # the plan's review, the reflection period's end, the search's birth date...
    day, moment = datetime.date(2026, 1, 5), datetime.datetime(2026, 1, 5, 9, 30, tzinfo=datetime.UTC)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name, widget in widgets:
                value = day if widget.input_type == "date" else moment
                written = widget.format_value(value)
                assert written == ("2026-01-05" if widget.input_type == "date" else "2026-01-05T09:30"), (
                    language,
                    name,
                    written,
                )
