"""The synthetic case generator: the reference mix, determinism, scripts, synthetic-only data, loading."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from palermo.audit.models import AuditEvent
from palermo.cases.age import is_child
from palermo.cases.models import (
    Case,
    CaseEvent,
    CaseExploitation,
    IdentityDocument,
    Person,
    PersonAlias,
    PersonCitizenship,
    PersonLanguage,
    Phase,
)
from palermo.cases.reference import CaseStatus, ExploitationForm, Gender
from palermo.core.fields import Sealed
from palermo.demo import synthetic

UNTIL = datetime.date(2024, 1, 1)
N = 2000


@pytest.fixture(scope="module")
def mix() -> list[synthetic.SyntheticCase]:
    return list(synthetic.generate_cases(N, seed=2023, until=UNTIL))


def share(cases: list[synthetic.SyntheticCase], predicate) -> float:
    return sum(1 for case in cases if predicate(case)) / len(cases)


# --- the reference mix (UK NRM 2023), within sampling tolerance for N=2000 -------------------------------
# The standard error of a share near 0.5 over 2000 draws is about 0.011; tolerances are three of them.


def test_three_quarters_are_male(mix):
    assert share(mix, lambda c: c.person.gender == Gender.MASCULINE) == pytest.approx(0.76, abs=0.03)
    assert share(mix, lambda c: c.person.gender == Gender.FEMININE) == pytest.approx(0.236, abs=0.03)


def test_children_are_44_percent(mix):
    assert share(mix, lambda c: c.is_child) == pytest.approx(0.44, abs=0.035)
    assert share(mix, lambda c: c.person.birth_date is None) == pytest.approx(0.05, abs=0.015)


def test_top_nationalities_lead_in_order_of_scale(mix):
    counts = Counter(case.person.citizenships[0] for case in mix)
    assert counts["GBR"] / N == pytest.approx(0.25, abs=0.03)
    assert counts["ALB"] / N == pytest.approx(0.24, abs=0.03)
    for country in ("VNM", "SDN", "ERI"):
        assert counts[country] / N == pytest.approx(0.056, abs=0.02)
    top_five = {country for country, _ in counts.most_common(5)}
    assert top_five == set(synthetic.TOP_NATIONALITIES)
    # ...and a long tail after them.
    assert len(counts) >= 25
    assert sum(counts[c] for c in synthetic.TOP_NATIONALITIES) / N == pytest.approx(0.66, abs=0.04)


def test_uk_nationals_are_mostly_children_albanians_mostly_adults(mix):
    def child_share(country: str) -> float:
        of = [c for c in mix if c.person.citizenships[0] == country]
        return share(of, lambda c: c.is_child)

    assert child_share("GBR") > 0.65
    assert child_share("ALB") < 0.35


def test_labour_is_the_largest_form_then_sexual_criminal_servitude(mix):
    counts = Counter(form for case in mix for form in case.exploitation_forms)
    labour = counts[ExploitationForm.FORCED_LABOUR] + counts[ExploitationForm.CHILD_LABOUR]
    assert (
        labour
        > counts[ExploitationForm.SEXUAL_EXPLOITATION]
        > counts[ExploitationForm.FORCED_CRIMINALITY]
        > counts[ExploitationForm.SERVITUDE]
        > max(counts[ExploitationForm.FORCED_BEGGING], counts[ExploitationForm.FORCED_MARRIAGE])
    )
    assert all(case.exploitation_forms for case in mix)
    assert all(len(set(case.exploitation_forms)) == len(case.exploitation_forms) for case in mix)
    assert not any(
        ExploitationForm.CHILD_LABOUR in case.exploitation_forms for case in mix if not case.is_child
    )


def test_sexual_exploitation_is_reported_more_for_women(mix):
    def sexual(gender: str) -> float:
        of = [c for c in mix if c.person.gender == gender]
        return share(of, lambda c: ExploitationForm.SEXUAL_EXPLOITATION in c.exploitation_forms)

    assert sexual(Gender.FEMININE) > 2 * sexual(Gender.MASCULINE)


def test_cases_can_open_over_fewer_years():
    cases = list(synthetic.generate_cases(200, seed=1, until=UNTIL, years=3))
    assert min(case.opened_at for case in cases).date() >= UNTIL - datetime.timedelta(days=3 * 365 + 1)
    assert len({case.opened_at.year for case in cases}) == 3
    for years in (0, 11):
        with pytest.raises(ValueError, match="1 to 10 years"):
            next(synthetic.generate_cases(1, years=years))


def test_cases_open_over_a_decade_more_in_recent_years(mix):
    years = Counter(case.opened_at.year for case in mix)
    assert min(case.opened_at for case in mix).date() >= UNTIL - datetime.timedelta(days=3660)
    assert max(case.opened_at for case in mix).date() < UNTIL
    assert len(years) >= 10
    assert years[2023] > 3 * years[2014]
    assert all(case.opened_at.tzinfo is datetime.UTC for case in mix)


def test_older_cases_are_further_along_and_closures_are_consistent(mix):
    old = [c for c in mix if c.opened_at.year <= 2017]
    recent = [c for c in mix if c.opened_at.date() >= UNTIL - datetime.timedelta(days=80)]
    assert share(old, lambda c: c.phase == Phase.CLOSED) > 0.6
    assert share(recent, lambda c: c.phase in {Phase.IDENTIFICATION, Phase.REFLECTION}) == 1
    assert {c.phase for c in mix} == set(Phase.values)
    for case in mix:
        closed = case.phase == Phase.CLOSED
        assert (case.status in {CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED}) == closed
        assert bool(case.closure_reason) == closed == (case.closed_at is not None)
        assert bool(case.phase_before_closing) == closed
        if closed:
            assert case.opened_at <= case.closed_at
        if case.status == CaseStatus.FOLLOW_UP:
            assert case.phase == Phase.LONG_TERM


def test_birth_dates_have_every_precision_and_agree_with_the_child_flag(mix):
    assert {c.person.birth_date_precision for c in mix if c.person.birth_date} == {
        "exact",
        "year_month",
        "year",
        "estimated",
    }
    presumed = [c for c in mix if c.person.age_uncertain and c.person.believed_child]
    assert presumed and all(c.is_child for c in presumed)
    for case in mix:
        person = case.person
        assert case.is_child == is_child(
            birth_date=person.birth_date,
            precision=person.birth_date_precision,
            age_uncertain=person.age_uncertain,
            believed_child=person.believed_child,
            on=case.opened_at.date(),
        )
        if person.birth_date_precision == "year_month":
            assert person.birth_date.day == 1
        if person.birth_date_precision == "year":
            assert (person.birth_date.month, person.birth_date.day) == (1, 1)


def test_languages_documents_aliases_and_contact_vary(mix):
    assert share(mix, lambda c: any(need for _, need in c.person.languages)) > 0.5
    assert share(mix, lambda c: c.person.documents) == pytest.approx(0.6, abs=0.05)
    holders = Counter(doc.held_by for c in mix for doc in c.person.documents)
    assert set(holders) == {"person", "exploiter", "authorities", "unknown"}
    assert 0.08 < share(mix, lambda c: c.person.aliases) < 0.22
    assert any(len(c.person.citizenships) == 2 for c in mix)
    assert any(c.person.citizenships == ("XXA",) for c in mix)


# --- names in many scripts, with Latin forms ---------------------------------------------------------------


def test_names_come_in_several_scripts_matching_the_nationality(mix):
    scripts = Counter(synthetic.script_of(case.person.full_name) for case in mix)
    assert {"LATIN", "ARABIC", "ETHIOPIC", "CYRILLIC"} <= set(scripts)
    assert len(scripts) >= 6
    by_country = {c.person.citizenships[0]: c.person for c in mix}
    assert synthetic.script_of(by_country["ERI"].given_names) == "ETHIOPIC"
    assert synthetic.script_of(by_country["SDN"].given_names) == "ARABIC"
    assert synthetic.script_of(by_country["UKR"].family_names) == "CYRILLIC"
    assert synthetic.script_of(by_country["ALB"].given_names) == "LATIN"


def test_a_non_latin_name_has_its_latin_form_and_a_latin_one_none(mix):
    for case in mix:
        person = case.person
        if synthetic.is_latin(person.full_name):
            assert person.given_names_latin == person.family_names_latin == ""
        else:
            assert person.given_names_latin and synthetic.is_latin(person.given_names_latin)
            assert person.family_names_latin and synthetic.is_latin(person.family_names_latin)


def test_names_match_the_gender(mix):
    elements = synthetic._name_elements()["tigrinya"]
    female = {name for name, _ in elements["female"]}
    for case in mix:
        if case.person.citizenships[0] == "ERI" and case.person.gender == Gender.MASCULINE:
            assert case.person.given_names not in female


def test_albanian_names_are_albanian_not_faker_fallbacks(mix):
    # Faker's sq_AL has no person names and would answer in English; the shipped elements are used.
    albanian = synthetic._name_elements()["albanian"]
    known = set(albanian["male"]) | set(albanian["female"])
    for case in mix:
        if case.person.citizenships[0] == "ALB":
            assert case.person.given_names in known


def test_arabic_and_persian_names_carry_their_usual_latin_spelling(mix):
    # Unidecode would drop the vowels the script leaves unwritten ("Abrahym" for Ibrahim); the shipped
    # spelling is the one documents use.
    elements = synthetic._name_elements()
    pairs = {
        names: {tuple(pair) for group in ("male", "female", "family") for pair in elements[names][group]}
        for names in synthetic.SHIPPED_PAIRS
    }
    named_so = {nationality.country: nationality.names for nationality in synthetic.NATIONALITIES}
    seen = Counter()
    for case in mix:
        names = named_so[case.person.citizenships[0]]
        if names in pairs:
            person = case.person
            assert (person.given_names, person.given_names_latin) in pairs[names]
            assert (person.family_names, person.family_names_latin) in pairs[names]
            seen[names] += 1
    assert seen["arabic"] and seen["persian"]


# --- synthetic only ----------------------------------------------------------------------------------------


def test_contact_details_are_reserved_or_fictional(mix):
    emails = [c.person.email for c in mix if c.person.email]
    assert emails
    assert all(email.rsplit("@", 1)[1] in {"example.com", "example.org", "example.net"} for email in emails)


def test_notes_are_the_generators_fixed_phrases(mix):
    assert {c.person.note for c in mix} <= {*synthetic.NOTES, ""}


def test_the_shipped_name_elements_hold_no_full_names():
    elements = synthetic._name_elements()
    for group in ("male", "female", "family_prefixes", "family_suffixes"):
        for original, latin in elements["tigrinya"][group]:
            assert " " not in original and " " not in latin
            assert synthetic.script_of(original) == "ETHIOPIC" and synthetic.is_latin(latin)
    for group in ("male", "female", "family"):
        assert all(" " not in name for name in elements["albanian"][group])
    for names in synthetic.SHIPPED_PAIRS:
        for group in ("male", "female", "family"):
            for original, latin in elements[names][group]:
                assert synthetic.script_of(original) == "ARABIC" and synthetic.is_latin(latin)
                assert " " not in latin and set(latin.lower()) & set("aeiou"), latin  # one name, as written


# --- determinism -------------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_cases(mix):
    again = list(synthetic.generate_cases(50, seed=2023, until=UNTIL))
    assert again == mix[:50]


def test_a_case_is_the_same_whatever_was_generated_before_it(mix):
    # The Faker instances are shared between calls; each case reseeds them from its own stream.
    list(synthetic.generate_cases(7, seed=99, until=UNTIL))
    assert next(synthetic.generate_cases(1, seed=2023, until=UNTIL, start=123)) == mix[123]


def test_another_seed_gives_other_cases(mix):
    other = list(synthetic.generate_cases(50, seed=2024, until=UNTIL))
    assert {c.reference for c in other}.isdisjoint({c.reference for c in mix})
    assert [c.person.full_name for c in other] != [c.person.full_name for c in mix[:50]]


def test_references_are_unique_and_well_formed(mix):
    assert len({c.reference for c in mix}) == N
    assert all(len(c.reference) == 13 and c.reference.startswith("NRM-") for c in mix)


# --- bulk loading ------------------------------------------------------------------------------------------


@pytest.fixture
def agencies(make_agency):
    return [make_agency("ngo"), make_agency("police")]


@pytest.mark.django_db
def test_bulk_load_writes_every_part_encrypted_and_indexed(agencies):
    specs = list(synthetic.generate_cases(60, seed=5, until=UNTIL))
    result = synthetic.bulk_load(specs, lead_agency=synthetic.spread_over(agencies), batch_size=25)
    assert (result.created, result.skipped) == (60, 0)
    assert Case.objects.count() == Person.objects.count() == 60
    assert {case.lead_agency_id for case in Case.objects.all()} == {a.pk for a in agencies}
    assert CaseExploitation.objects.count() == sum(len(s.exploitation_forms) for s in specs)
    assert PersonCitizenship.objects.count() == sum(len(s.person.citizenships) for s in specs)
    assert PersonLanguage.objects.count() == sum(len(s.person.languages) for s in specs)
    assert IdentityDocument.objects.count() == sum(len(s.person.documents) for s in specs)
    assert PersonAlias.objects.count() == sum(len(s.person.aliases) for s in specs)
    assert CaseEvent.objects.filter(kind="intake").count() == 60

    spec = specs[0]
    case = Case.objects.get(reference=spec.reference)
    assert case.opened_at == spec.opened_at  # not the moment of loading
    assert (case.phase, case.status, case.is_child) == (spec.phase, spec.status, spec.is_child)
    person = case.persons.get()
    assert (person.given_names, person.family_names) == (spec.person.given_names, spec.person.family_names)
    assert person.birth_date == spec.person.birth_date
    # Stored encrypted, found through the blind indexes.
    sealed = Person.objects.filter(pk=person.pk).values_list("given_names", flat=True).get()
    assert isinstance(sealed, Sealed)
    assert Person.objects.matching_name(spec.person.full_name).filter(pk=person.pk).exists()
    if spec.person.given_names_latin:
        latin = f"{spec.person.family_names_latin} {spec.person.given_names_latin}"
        assert Person.objects.matching_name(latin).filter(pk=person.pk).exists()
    if spec.person.birth_date:
        assert Person.objects.matching_birth_date(spec.person.birth_date).filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_bulk_load_twice_adds_nothing_and_is_on_the_record(agencies):
    lead = synthetic.spread_over(agencies)
    first = synthetic.bulk_load(synthetic.generate_cases(30, seed=6, until=UNTIL), lead_agency=lead)
    counts = (Case.objects.count(), Person.objects.count(), CaseEvent.objects.count())
    second = synthetic.bulk_load(synthetic.generate_cases(30, seed=6, until=UNTIL), lead_agency=lead)
    assert (first.created, second.created, second.skipped) == (30, 0, 30)
    assert (Case.objects.count(), Person.objects.count(), CaseEvent.objects.count()) == counts
    events = AuditEvent.objects.filter(action=synthetic.AUDIT_ACTION)
    assert events.count() == 1 and events.get().tier == 0


@pytest.mark.django_db
def test_bulk_load_with_an_actor_and_progress(agencies, make_user):
    actor = make_user()
    seen: list[tuple[int, int]] = []
    synthetic.bulk_load(
        synthetic.generate_cases(12, seed=8, until=UNTIL),
        lead_agency=synthetic.spread_over(agencies),
        actor=actor,
        batch_size=5,
        progress=lambda created, skipped: seen.append((created, skipped)),
    )
    assert seen == [(5, 0), (10, 0), (12, 0)]
    assert set(Case.objects.values_list("opened_by", flat=True)) == {actor.pk}


def test_spread_over_needs_an_agency():
    with pytest.raises(ValueError, match="at least one agency"):
        synthetic.spread_over([])


# --- the command -------------------------------------------------------------------------------------------


def generate(*arguments: str) -> str:
    out = io.StringIO()
    call_command("generate_cases", *arguments, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_generate_cases_command_writes_then_extends(agencies, make_agency):
    make_agency("rapporteur")  # not an agency that refers: leads nothing
    output = generate("--count", "12", "--seed", "4", "--batch-size", "5")
    assert "5 of 12: 5 written" in output and "12 synthetic cases written, 0 already there" in output
    assert set(Case.objects.values_list("lead_agency", flat=True)) <= {a.pk for a in agencies}
    output = generate("--count", "20", "--seed", "4")
    assert "8 synthetic cases written, 12 already there" in output
    assert Case.objects.count() == 20


@pytest.mark.django_db
def test_generate_cases_command_on_named_agencies(agencies):
    generate("--count", "6", "--agency", agencies[1].name)
    assert set(Case.objects.values_list("lead_agency", flat=True)) == {agencies[1].pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((), "No active agency to lead the cases"),
        (("--agency", "No such agency"), "No active agency named: No such agency"),
        (("--count", "-1"), "--count must be 0 or more"),
    ],
)
def test_generate_cases_command_refuses(arguments, message):
    with pytest.raises(CommandError, match=message):
        generate(*arguments)
