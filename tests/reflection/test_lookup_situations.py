"""The removal look-up in every situation the law protects, through each door: the service, the page, the API
with a migration officer's session, and the API with a client system's token.

- referred, no decision yet: protected until the presumed-victim decision (no end date);
- a positive presumed-victim decision: protected until the identified-victim decision, past the end of the
  reflection period (UK: the recovery period runs to the later of the two); once it is taken, until the end
  of a period still running; after both, no protection;
- a review of a negative decision pending: protected when the rulebook says so;
- aliases, Latin spellings, partial birth dates: matches;
- one character off, another transliteration, a document number one character off, a day and month swapped:
  "possible match", with the authority's contact, and the case's team is told (without what was asked).
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.cases.models import BirthDatePrecision, CaseEvent, EventKind, Person, PersonAlias
from palermo.deadlines.models import Deadline
from palermo.identification.models import IdentificationDecision
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.identification.services.reviews import review_request_record
from palermo.reflection.models import ReflectionPeriod
from palermo.reflection.services.clients import lookup_client_add
from palermo.reflection.services.lookup import NEAR_MATCH_KIND, LookupQuery, removal_lookup
from tests.names import synthetic_name
from tests.reflection.conftest import POSITIVE, add_person, decide

pytestmark = pytest.mark.django_db

LOOKUP_URL = reverse("reflection:lookup")
API_URL = reverse("api-reflection-lookup")
DOORS = ["service", "page", "api", "token"]
DOCUMENT = "XK 0042-1187"
BORN = datetime.date(1990, 5, 7)
CONTACT = "NRM duty desk, +00 000 000 000"
NEGATIVE = DecisionInput("negative", ["elements_not_met"], "The legal elements are not met.")
UNTIL_DECIDED = ("protected", None)
POSSIBLE = ("possible_match", None)
NONE = ("no_protection", None)


@pytest.fixture(autouse=True)
def _contact(settings):
    settings.PALERMO_LOOKUP_CONTACT = CONTACT


@pytest.fixture
def referred(team_case):
    """A case just referred (no period requested, no decision), its person with a passport."""
    person = add_person(team_case, document=DOCUMENT, birth_date=BORN)
    return team_case, person


def full_name(person: Person) -> str:
    return f"{person.given_names} {person.family_names}"


def read_page(page: str) -> tuple[str, datetime.date | None]:
    if "Protected from removal until a pending decision is taken." in page:
        return UNTIL_DECIDED
    dated = re.search(r"Protected from removal until (\d{1,2} \w+ \d{4})\.", page)  # "7 March 2027"
    if dated:
        read = datetime.datetime.strptime(dated[1], "%d %B %Y").replace(tzinfo=datetime.UTC)
        return "protected", read.date()
    if "Possible match: ask the competent authority before any removal." in page:
        assert f"Contact: {CONTACT}" in page
        return POSSIBLE
    assert "No protection on record." in page
    return NONE


def read_body(body: dict) -> tuple[str, datetime.date | None]:
    until = datetime.date.fromisoformat(body["protected_until"]) if body["protected_until"] else None
    assert body["protected"] is (body["answer"] != "no_protection")
    assert body["contact"] == (CONTACT if body["answer"] == "possible_match" else None)
    assert set(body) == {"answer", "protected", "protected_until", "contact", "message"}
    return body["answer"], until


@pytest.fixture
def ask(migration_officer, client_for, make_agency):
    """ask(door, **question) -> (answer, last protected day or None), each door read as its user reads it;
    and no answer ever names a case, a person or an agency."""
    made: dict[str, object] = {}

    def token() -> str:
        if "token" not in made:
            made["token"] = lookup_client_add(name="Border register", agency=make_agency("migration"))[1]
        return str(made["token"])

    def ask_(door: str, **question) -> tuple[str, datetime.date | None]:
        if door == "service":
            answer = removal_lookup(
                query=LookupQuery(**question),
                actor=migration_officer,
                membership=migration_officer.membership,
            )
            return answer.finding.value, answer.protected_until
        data = {
            key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in question.items()
        }
        if door == "page":
            response = client_for(migration_officer).post(LOOKUP_URL, data)
            assert response.status_code == 200
            page = response.content.decode()
            start = page.index('id="lookup-answer"')
            answer = page[start : page.index("</div>", start)]
            shown = read_page(answer)
        else:
            client = client_for(migration_officer) if door == "api" else Client()
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token()}"} if door == "token" else {}
            response = client.post(API_URL, data, content_type="application/json", **headers)
            assert response.status_code == 200, response.content
            answer = response.content.decode()
            shown = read_body(response.json())
        for secret in [*Person.objects.values_list("case__reference", flat=True), DOCUMENT]:
            assert secret not in answer
        return shown

    return ask_


def take(authority, case, kind, data=POSITIVE) -> IdentificationDecision:
    return decision_take(actor=authority, membership=authority.membership, case=case, kind=kind, data=data)


# --- when the law protects -----------------------------------------------------------------------------


@pytest.mark.parametrize("door", DOORS)
def test_referred_and_not_yet_decided_is_protected_with_no_end_date(door, referred, ask, authority):
    case, person = referred
    assert not ReflectionPeriod.objects.exists()  # no period was requested
    assert ask(door, document_number=DOCUMENT) == UNTIL_DECIDED
    assert ask(door, name=full_name(person), birth_date=BORN) == UNTIL_DECIDED
    take(authority, case, "presumed", NEGATIVE)
    assert ask(door, document_number=DOCUMENT) == NONE


@pytest.mark.parametrize("door", DOORS)
def test_the_reflection_period_then_the_identified_victim_decision(
    door, referred, ask, authority, django_capture_on_commit_callbacks, clock
):
    case, _person = referred
    decide(authority, case, django_capture_on_commit_callbacks)
    period = ReflectionPeriod.objects.get(case=case)
    # Reflection running, the identified-victim decision pending: protected until that decision.
    assert ask(door, document_number=DOCUMENT) == UNTIL_DECIDED
    # The decision taken while the period runs: protected until the period's last day.
    take(authority, case, "identified")
    assert ask(door, document_number=DOCUMENT) == ("protected", period.ends_on)
    # The period over, nothing else pending: no protection.
    clock.advance(days=(period.ends_on - timezone.localdate()).days + 1)
    assert ask(door, document_number=DOCUMENT) == NONE


@pytest.mark.parametrize("door", DOORS)
def test_uk_the_recovery_period_runs_to_the_conclusive_grounds_decision(
    door, settings, referred, ask, authority, django_capture_on_commit_callbacks, clock
):
    settings.PALERMO_RULEBOOK = "gb-msa2015"
    case, _person = referred
    decide(authority, case, django_capture_on_commit_callbacks)
    period = ReflectionPeriod.objects.get(case=case)
    assert period.ends_on == timezone.localdate() + datetime.timedelta(days=30)
    clock.advance(days=31)  # the 30 days are over; the conclusive grounds decision is not taken
    assert ask(door, document_number=DOCUMENT) == UNTIL_DECIDED
    take(authority, case, "identified")
    assert ask(door, document_number=DOCUMENT) == NONE


@pytest.fixture
def rulebook_with(settings, tmp_path):
    """The default rulebook with some [protection] keys changed, in a temporary rulebook directory."""

    def write(**keys: bool) -> None:
        source = Path(django_settings.RULEBOOK_DIR) / "osce-2005.toml"
        text = source.read_text(encoding="utf-8")
        for key, value in keys.items():
            text, count = re.subn(rf"^{key} = \w+$", f"{key} = {str(value).lower()}", text, flags=re.M)
            assert count == 1
        (tmp_path / "osce-2005.toml").write_text(text, encoding="utf-8")
        shutil.copy(source.parent / "gb-msa2015.toml", tmp_path)
        settings.RULEBOOK_DIR = tmp_path

    return write


def test_where_the_rulebook_says_no_the_period_s_end_is_the_end(
    rulebook_with, referred, ask, authority, django_capture_on_commit_callbacks, clock
):
    rulebook_with(until_identified_decision=False)
    case, _person = referred
    decide(authority, case, django_capture_on_commit_callbacks)
    period = ReflectionPeriod.objects.get(case=case)
    assert ask("service", document_number=DOCUMENT) == ("protected", period.ends_on)
    clock.advance(days=(period.ends_on - timezone.localdate()).days + 1)
    assert ask("service", document_number=DOCUMENT) == NONE


def test_where_the_rulebook_says_no_a_referral_alone_does_not_protect(rulebook_with, referred, ask):
    rulebook_with(from_referral=False)
    assert ask("service", document_number=DOCUMENT) == NONE


@pytest.mark.parametrize(
    ("rulebook", "while_reviewed"), [("osce-2005", UNTIL_DECIDED), ("coe-cets197", NONE)]
)
def test_a_pending_review_of_a_negative_decision_protects_where_the_rulebook_says_so(
    settings, rulebook, while_reviewed, referred, ask, authority
):
    settings.PALERMO_RULEBOOK = rulebook
    case, _person = referred
    refused = take(authority, case, "presumed", NEGATIVE)
    assert ask("service", document_number=DOCUMENT) == NONE
    review_request_record(
        actor=authority, membership=authority.membership, original=refused, procedure="reconsideration"
    )
    assert ask("service", document_number=DOCUMENT) == while_reviewed
    assert ask("api", document_number=DOCUMENT) == while_reviewed


def test_a_closed_case_gives_no_protection_of_its_own(referred, ask):
    case, _person = referred
    type(case).objects.filter(pk=case.pk).update(phase="closed")
    assert ask("service", document_number=DOCUMENT) == NONE


# --- who is found ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("door", DOORS)
def test_an_alias_matches(door, referred, ask):
    _case, person = referred
    alias = " ".join(synthetic_name("en_GB"))
    PersonAlias(person=person, name=alias).save()
    assert ask(door, name=alias, birth_date=BORN) == UNTIL_DECIDED


@pytest.mark.parametrize("door", DOORS)
def test_the_own_script_and_the_latin_spelling_match(door, team_case, ask):
    given, family = synthetic_name("ru_RU")
    latin_given, latin_family = synthetic_name("en_GB")
    person = add_person(team_case, birth_date=BORN)
    person.given_names, person.family_names = given, family
    person.given_names_latin, person.family_names_latin = latin_given, latin_family
    person.save()
    assert ask(door, name=f"{family} {given}", birth_date=BORN) == UNTIL_DECIDED
    assert ask(door, name=f"{latin_given} {latin_family}", birth_date=BORN) == UNTIL_DECIDED


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(
    ("precision", "recorded", "inside", "outside"),
    [
        (
            BirthDatePrecision.YEAR,
            datetime.date(1990, 1, 1),
            datetime.date(1990, 11, 23),
            datetime.date(1991, 11, 23),
        ),
        (
            BirthDatePrecision.YEAR_MONTH,
            datetime.date(1990, 5, 1),
            datetime.date(1990, 5, 23),
            datetime.date(1990, 6, 23),
        ),
    ],
)
def test_a_partial_birth_date_matches_every_date_inside_it(
    door, precision, recorded, inside, outside, team_case, ask
):
    person = add_person(team_case, birth_date=recorded)
    person.birth_date_precision = precision
    person.save()
    assert ask(door, name=full_name(person), birth_date=inside) == UNTIL_DECIDED
    assert ask(door, name=full_name(person), birth_date=outside) == NONE


# --- near matches ----------------------------------------------------------------------------------------


def one_letter_off(text: str) -> str:
    """The text with its third letter replaced."""
    index = next(i for i, char in enumerate(text) if char.isalpha() and i >= 2)
    other = "q" if text[index].lower() != "q" else "z"
    return text[:index] + other + text[index + 1 :]


@pytest.fixture
def latin_person(team_case):
    given, family = synthetic_name("en_GB")
    person = add_person(team_case, document=DOCUMENT, birth_date=BORN)
    person.given_names, person.family_names = given, family
    person.save()
    return person


def told(case) -> tuple[list[CaseEvent], list[Deadline]]:
    events = list(CaseEvent.objects.filter(case=case, kind=EventKind.REFLECTION))
    tasks = list(Deadline.objects.filter(case=case, kind=NEAR_MATCH_KIND, done_at__isnull=True))
    return events, tasks


@pytest.mark.parametrize("door", DOORS)
def test_one_character_off_is_a_possible_match_and_the_team_is_told(door, latin_person, ask):
    case = latin_person.case
    near = f"{latin_person.given_names} {one_letter_off(latin_person.family_names)}"
    assert ask(door, name=near, birth_date=BORN) == POSSIBLE
    events, tasks = told(case)
    assert len(events) == 1 and len(tasks) == 1
    assert tasks[0].responsible_agency_id == case.lead_agency_id
    assert events[0].tier == 1 and events[0].actor_id is None
    for secret in (near, latin_person.family_names, BORN.isoformat(), "1990"):
        assert secret not in events[0].summary
    # Asked again: the task is moved, not repeated; the timeline has one entry per near look-up.
    ask(door, name=near, birth_date=BORN)
    assert len(told(case)[1]) == 1 and len(told(case)[0]) == 2


@pytest.mark.parametrize("door", DOORS)
def test_a_day_and_month_swapped_is_a_possible_match(door, latin_person, ask):
    swapped = datetime.date(BORN.year, BORN.day, BORN.month)
    assert ask(door, name=full_name(latin_person), birth_date=swapped) == POSSIBLE
    assert len(told(latin_person.case)[1]) == 1


@pytest.mark.parametrize("door", DOORS)
def test_a_document_number_one_character_off_is_a_possible_match(door, latin_person, ask):
    assert ask(door, document_number="XK 0042-1188") == POSSIBLE
    assert ask(door, document_number="XK 0042-118") == POSSIBLE


@pytest.mark.parametrize("door", DOORS)
def test_another_transliteration_is_a_possible_match(door, team_case, ask):
    person = add_person(team_case, birth_date=BORN)
    person.given_names, person.family_names = "Юлия Марина", "Петрова-Ковалева"
    person.save()
    assert ask(door, name="Yulia Marina Petrowa-Kowaleva", birth_date=BORN) == POSSIBLE
    assert ask(door, name="Iuliia Marina Petrova-Kovaleva", birth_date=BORN) == UNTIL_DECIDED


@pytest.mark.parametrize("door", DOORS)
def test_no_match_is_no_protection_and_tells_no_one(door, latin_person, ask):
    given, family = synthetic_name("en_GB")
    assert ask(door, name=f"{given} {family}", birth_date=datetime.date(1971, 2, 3)) == NONE
    assert ask(door, document_number="ZZ 9999999") == NONE
    assert told(latin_person.case) == ([], [])


def test_a_near_match_to_someone_not_protected_is_no_protection(latin_person, ask, authority):
    take(authority, latin_person.case, "presumed", NEGATIVE)
    near = f"{latin_person.given_names} {one_letter_off(latin_person.family_names)}"
    assert ask("service", name=near, birth_date=BORN) == NONE
    assert told(latin_person.case)[1] == []


def test_an_exact_match_tells_no_one(latin_person, ask):
    assert ask("service", name=full_name(latin_person), birth_date=BORN) == UNTIL_DECIDED
    assert told(latin_person.case) == ([], [])


def test_the_team_sees_the_task_and_the_timeline_entry(latin_person, ask, client_for, responder, manager):
    near = f"{latin_person.given_names} {one_letter_off(latin_person.family_names)}"
    ask("service", name=near, birth_date=BORN)
    assert latin_person.case.lead_agency_id == responder.membership.agency_id
    due = client_for(responder).get(reverse("deadlines:due"), {"scope": "agency"}).content.decode()
    assert "A removal look-up came close to this person" in due
    assert latin_person.case.reference in due
    # The task never states the name that was looked up; the person's own name heads the row only because
    # this reader may read identity on the case (the worklist's rule, tests/deadlines/test_worklists.py).
    assert near not in due
    reference = latin_person.case.reference
    timeline = client_for(manager).get(reverse("cases:timeline", args=[reference]), HTTP_HX_REQUEST="true")
    timeline = timeline.content.decode()
    assert "A removal look-up came close to this person" in timeline
    assert near not in timeline and latin_person.family_names not in timeline


def test_the_deploy_check_warns_without_a_contact(settings):
    from django.core import checks

    def deploy_check_ids() -> list[str]:
        """The project's own checks as the deploy check runs them (Django's own are not about this)."""
        return [message.id for message in checks.run_checks(include_deployment_checks=True, tags=["palermo"])]

    settings.PALERMO_LOOKUP_CONTACT = ""
    assert "palermo.W020" in deploy_check_ids()
    settings.PALERMO_LOOKUP_CONTACT = CONTACT
    assert "palermo.W020" not in deploy_check_ids()
