"""Synthetic cases for the demo and the benchmarks: made-up people in the mix of a real referral mechanism.

The reference scale is the UK National Referral Mechanism in 2023 (domain brief, section 6; Home Office,
"Modern Slavery: NRM and DtN statistics, end of year summary 2023"): 76% male; 44% children at the time of
exploitation (5% of age unknown); nationalities led by the UK (25%), Albania (24%), Viet Nam (6%), Sudan (6%)
and Eritrea (5%), then a long tail; labour exploitation the most common form, then sexual exploitation,
forced criminality and domestic servitude. Cases open over a decade that grows as the NRM's referrals grew,
and the older a case, the further along its lifecycle.

Everyone is synthetic. Names come from Faker in the locale of the nationality, in its script, or, where Faker
has no names (Tigrinya, Albanian) or only in a script written without most vowels (Arabic, Persian), are put
together from the common name elements in `data/synthetic_names.toml`; a name in a non-Latin script gets its
Latin form: the usual spelling shipped with the Ge'ez, Arabic and Persian names, Unidecode's transliteration
for the others (Cyrillic, Vietnamese, Thai...). Document numbers are random, e-mail addresses use the reserved
example.* domains, phone numbers and addresses are Faker's fictional ones.

Deterministic: case number `n` of seed `s` draws from its own random stream, so the same seed always gives the
same cases (and the same references), whatever else runs. `generate_cases` yields plain specifications; the
demo (`palermo.demo.cases`, so `make run`) refers them one by one through the intake, team and lifecycle
services.

`bulk_load` is the one bulk path, and it is there for scale only: the benchmarks in `bench/` write up to
100,000 cases with it (`bench.case_data`), as do `palermo generate_cases` without --through-services and the
API fuzz test's fixture. The services would take hours for that; nothing else may write this way. It writes
batches with `bulk_create`: field encryption and blind indexes still apply (the fields compute them in
`pre_save`), references already present are skipped (so a second load adds nothing), the timeline gets the
entries the services would have written, and one audit event records the load. Case teams are not written
here: the caller puts cases on teams through the access services.
"""

from __future__ import annotations

import datetime
import random
import time
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from unidecode import unidecode

try:
    from faker import Faker
except ImportError as missing:  # the `demo` extra is not installed
    raise ImportError("The demo's synthetic people need Faker: pip install -e '.[demo]'") from missing

from palermo.accounts.models import Agency, User
from palermo.audit.services import audit_record
from palermo.cases.age import age_group_on, birth_date_from_age_estimate, is_child
from palermo.cases.models import (
    _REFERENCE_ALPHABET,
    BirthDatePrecision,
    Case,
    CaseEvent,
    CaseExploitation,
    DocumentHolder,
    DocumentType,
    EventKind,
    IdentityDocument,
    NoteTier,
    Person,
    PersonAlias,
    PersonCitizenship,
    PersonLanguage,
    Phase,
)
from palermo.cases.reference import CaseStatus, ClosureReason, ExploitationForm, Gender
from palermo.cases.services.intake import REFERRAL_RECEIVED
from palermo.cases.services.lifecycle import status_summary
from palermo.cases.services.timeline import summary_fields
from palermo.core.text import in_record_language

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------------------
# The reference mix
# ---------------------------------------------------------------------------------------------------------

MALE_SHARE = 0.76
CHILD_SHARE = 0.44
UNKNOWN_AGE_SHARE = 0.05
YEARS = 10
# Names shipped as [original, Latin] pairs in data/synthetic_names.toml, drawn as given and family name.
SHIPPED_PAIRS = ("arabic", "persian")
# NRM referrals per year, 2014-2023: the decade's shape (older years hold fewer cases).
REFERRALS_PER_YEAR = (2340, 3266, 3805, 5142, 6986, 10613, 10608, 12706, 16921, 17004)

GENDER_WEIGHTS: dict[str, float] = {
    Gender.MASCULINE: MALE_SHARE,
    Gender.FEMININE: 0.236,
    Gender.UNKNOWN: 0.002,
    Gender.TRANSGENDER_FEMININE: 0.001,
    Gender.TRANSGENDER_MASCULINE: 0.0005,
    Gender.NON_CONFORMING: 0.0005,
}


@dataclass(frozen=True)
class Nationality:
    """A citizenship (ISO 3166-1 alpha-3) with its share of referrals and how its people are named.

    `names` is a Faker locale, or "tigrinya" / "albanian" / "arabic" / "persian" for the shipped name
    elements. `languages` are ISO 639-2 codes, the first the one most spoken. `child_share` None takes the
    tail's share, solved so that all nationalities together meet CHILD_SHARE.
    """

    country: str
    weight: float
    names: str
    languages: tuple[str, ...]
    child_share: float | None = None


NATIONALITIES: tuple[Nationality, ...] = (
    # The top five of 2023, with their own child shares (UK nationals were mostly children, Albanians and
    # Vietnamese mostly adults).
    Nationality("GBR", 25.3, "en_GB", ("eng",), 0.78),
    Nationality("ALB", 23.8, "albanian", ("sqi",), 0.20),
    Nationality("VNM", 5.8, "vi_VN", ("vie",), 0.31),
    Nationality("SDN", 5.5, "arabic", ("ara",), 0.35),
    Nationality("ERI", 5.3, "tigrinya", ("tir",), 0.38),
    # The long tail.
    Nationality("AFG", 3.0, "persian", ("fas", "pus")),
    Nationality("IRN", 2.5, "persian", ("fas",)),
    Nationality("IRQ", 2.0, "arabic", ("ara", "kur")),
    Nationality("ROU", 2.0, "ro_RO", ("ron",)),
    Nationality("IND", 2.0, "hi_IN", ("hin", "eng")),
    Nationality("CHN", 1.8, "zh_CN", ("zho",)),
    Nationality("ETH", 1.6, "tigrinya", ("amh", "tir")),
    Nationality("NGA", 1.6, "yo_NG", ("yor", "eng")),
    Nationality("PAK", 1.4, "en_PK", ("urd", "eng")),
    Nationality("EGY", 1.4, "arabic", ("ara",)),
    Nationality("SYR", 1.2, "arabic", ("ara", "kur")),
    Nationality("POL", 1.2, "pl_PL", ("pol",)),
    Nationality("UKR", 1.2, "uk_UA", ("ukr", "rus")),
    Nationality("BGD", 1.0, "bn_BD", ("ben",)),
    Nationality("TUR", 0.8, "tr_TR", ("tur", "kur")),
    Nationality("PHL", 0.8, "en_PH", ("fil", "eng")),
    Nationality("SVK", 0.8, "sk_SK", ("slk",)),
    Nationality("BGR", 0.8, "bg_BG", ("bul",)),
    Nationality("RUS", 0.6, "ru_RU", ("rus",)),
    Nationality("HUN", 0.6, "hu_HU", ("hun",)),
    Nationality("GHA", 0.6, "tw_GH", ("twi", "eng")),
    Nationality("LTU", 0.5, "lt_LT", ("lit",)),
    Nationality("THA", 0.5, "th_TH", ("tha",)),
    Nationality("BRA", 0.5, "pt_BR", ("por",)),
    Nationality("GEO", 0.4, "ka_GE", ("kat",)),
    Nationality("NPL", 0.4, "ne_NP", ("nep",)),
    Nationality("CZE", 0.4, "cs_CZ", ("ces",)),
    # Stateless (ICAO XXA), named as the Arabic-speaking stateless mostly are.
    Nationality("XXA", 0.5, "arabic", ("ara",)),
)
TOP_NATIONALITIES = ("GBR", "ALB", "VNM", "SDN", "ERI")

# Forms of exploitation: labour first, then sexual exploitation, forced criminality, domestic servitude.
# Sexual exploitation is reported far more often for women and girls; the other forms share the rest.
SEXUAL_SHARE = {"female": 0.54, "male": 0.12, "other": 0.22}
OTHER_FORM_WEIGHTS: dict[str, float] = {
    ExploitationForm.FORCED_LABOUR: 0.34,
    ExploitationForm.FORCED_CRIMINALITY: 0.19,
    ExploitationForm.SERVITUDE: 0.10,
    ExploitationForm.FORCED_BEGGING: 0.03,
    ExploitationForm.FORCED_MARRIAGE: 0.03,
    ExploitationForm.OTHER: 0.04,
    ExploitationForm.ORGAN_REMOVAL: 0.005,
    ExploitationForm.FORCED_ADOPTION: 0.005,
    ExploitationForm.SURROGACY: 0.005,
    ExploitationForm.FORCED_MILITARY: 0.005,
}
SECOND_FORM_SHARE = 0.12
# Labour exploitation of a child is recorded as child labour this often.
CHILD_LABOUR_SHARE = 0.3

PRECISION_WEIGHTS: dict[str, float] = {
    BirthDatePrecision.EXACT: 0.55,
    BirthDatePrecision.YEAR_MONTH: 0.10,
    BirthDatePrecision.YEAR: 0.15,
    BirthDatePrecision.ESTIMATED: 0.20,
}
# Children whose age is uncertain but who are believed to be children: presumed minors (CETS 197 art. 10(3)).
PRESUMED_CHILD_SHARE = 0.10

HOLDER_WEIGHTS: dict[str, float] = {
    DocumentHolder.PERSON: 0.40,
    DocumentHolder.EXPLOITER: 0.25,
    DocumentHolder.AUTHORITIES: 0.20,
    DocumentHolder.UNKNOWN: 0.15,
}

# Phase by the case's age in years: (upper bound, weights). A case waits long for its decisions (the median
# wait for a conclusive grounds decision was 526 days in 2023), and most decade-old cases are closed.
PHASE_BY_AGE: tuple[tuple[float, dict[str, float]], ...] = (
    (0.25, {Phase.IDENTIFICATION: 0.85, Phase.REFLECTION: 0.15}),
    (
        1.0,
        {
            Phase.IDENTIFICATION: 0.40,
            Phase.REFLECTION: 0.20,
            Phase.ASSISTANCE: 0.30,
            Phase.LONG_TERM: 0.03,
            Phase.CLOSED: 0.07,
        },
    ),
    (
        2.0,
        {
            Phase.IDENTIFICATION: 0.20,
            Phase.REFLECTION: 0.05,
            Phase.ASSISTANCE: 0.35,
            Phase.LONG_TERM: 0.15,
            Phase.CLOSED: 0.25,
        },
    ),
    (
        4.0,
        {
            Phase.IDENTIFICATION: 0.07,
            Phase.REFLECTION: 0.02,
            Phase.ASSISTANCE: 0.25,
            Phase.LONG_TERM: 0.20,
            Phase.CLOSED: 0.46,
        },
    ),
    (
        float("inf"),
        {Phase.IDENTIFICATION: 0.02, Phase.ASSISTANCE: 0.08, Phase.LONG_TERM: 0.15, Phase.CLOSED: 0.75},
    ),
)
FOLLOW_UP_SHARE = 0.35
PHASE_BEFORE_CLOSING: dict[str, float] = {
    Phase.IDENTIFICATION: 0.3,
    Phase.ASSISTANCE: 0.4,
    Phase.LONG_TERM: 0.3,
}
CLOSED_IN_IDENTIFICATION: dict[str, float] = {
    ClosureReason.NEGATIVE_DECISION: 0.70,
    ClosureReason.LOST_CONTACT: 0.15,
    ClosureReason.DECLINED: 0.10,
    ClosureReason.DUPLICATE: 0.05,
}
CLOSED_LATER: dict[str, float] = {
    ClosureReason.ASSISTANCE_COMPLETED: 0.50,
    ClosureReason.REFERRED_ELSEWHERE: 0.12,
    ClosureReason.LOST_CONTACT: 0.14,
    ClosureReason.DECLINED: 0.10,
    ClosureReason.RETURNED: 0.11,
    ClosureReason.DUPLICATE: 0.02,
    ClosureReason.DECEASED: 0.01,
}

NOTES = (
    "Referred after a labour inspection; an interpreter was present.",
    "First contact at a reception centre; the person asked for a female caseworker.",
    "Safeguarding concern raised by a school; the child was seen with a social worker.",
    "Self-referral through a helpline; the person fears reprisals against relatives.",
    "Identified during a police operation; the person was not treated as an offender.",
)

AUDIT_ACTION = "case.synthetic_load"

# ---------------------------------------------------------------------------------------------------------
# Specifications: what a case will be, before anything is written
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticDocument:
    type: str
    number: str
    issuing_country: str
    held_by: str


@dataclass(frozen=True)
class SyntheticPerson:
    given_names: str
    family_names: str
    given_names_latin: str
    family_names_latin: str
    gender: str
    birth_date: datetime.date | None
    birth_date_precision: str
    age_uncertain: bool
    believed_child: bool
    age_group: str
    citizenships: tuple[str, ...]
    # (ISO 639-2 code, needs an interpreter)
    languages: tuple[tuple[str, bool], ...]
    documents: tuple[SyntheticDocument, ...] = ()
    aliases: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    current_address: str = ""
    note: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()


@dataclass(frozen=True)
class SyntheticCase:
    number: int
    reference: str
    opened_at: datetime.datetime
    phase: str
    status: str
    is_child: bool
    exploitation_forms: tuple[str, ...]
    person: SyntheticPerson
    # When the case reached its current phase (or the phase before closing), for the timeline.
    moved_at: datetime.datetime | None = None
    phase_before_closing: str = ""
    closure_reason: str = ""
    closed_at: datetime.datetime | None = None
    # A uniform draw in [0, 1) that a loader maps onto its agencies (the lead agency).
    agency_draw: float = 0.0
    # Further uniform draws a loader may use (which other agencies join the team).
    team_draws: tuple[float, ...] = field(default=(), repr=False)


# ---------------------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------------------


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@cache
def _tail_child_share() -> float:
    """The child share of the nationalities without their own, so the whole mix meets CHILD_SHARE."""
    total = sum(n.weight for n in NATIONALITIES)
    known = sum(n.weight * n.child_share for n in NATIONALITIES if n.child_share is not None)
    tail = sum(n.weight for n in NATIONALITIES if n.child_share is None)
    return (CHILD_SHARE * total - known) / tail


def child_share(nationality: Nationality) -> float:
    return nationality.child_share if nationality.child_share is not None else _tail_child_share()


@cache
def _name_elements() -> dict[str, Any]:
    path = Path(__file__).resolve().parent / "data" / "synthetic_names.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


def is_latin(text: str) -> bool:
    """Whether every letter of `text` is a Latin letter (accents allowed)."""
    return all(unicodedata.name(char, "").startswith("LATIN") for char in text if char.isalpha())


def latin_form(text: str) -> str:
    """The Latin transliteration of a name in another script; empty when it is already in Latin letters."""
    if is_latin(text):
        return ""
    return " ".join(unidecode(text).split())


def script_of(text: str) -> str:
    """The script of the first letter ("LATIN", "ARABIC", "CYRILLIC", "ETHIOPIC", "CJK"...)."""
    letter = next((char for char in text if char.isalpha()), "")
    return unicodedata.name(letter, "UNKNOWN").split()[0] if letter else "UNKNOWN"


def gender_sex(gender: str) -> str:
    """ "male", "female" or "other": the split names and the exploitation mix are conditioned on."""
    if gender in {Gender.MASCULINE, Gender.TRANSGENDER_MASCULINE}:
        return "male"
    if gender in {Gender.FEMININE, Gender.TRANSGENDER_FEMININE}:
        return "female"
    return "other"


def _age_class(rng: random.Random, nationality: Nationality) -> str:
    """ "child", "adult" or "unknown" at the time of exploitation."""
    roll = rng.random()
    if roll < UNKNOWN_AGE_SHARE:
        return "unknown"
    # The child share is of everyone; draw it from the part left after the unknown ages.
    return "child" if roll < UNKNOWN_AGE_SHARE + child_share(nationality) else "adult"


@dataclass(frozen=True)
class _Name:
    given: str
    family: str
    given_latin: str
    family_latin: str


def _tigrinya_name(rng: random.Random, sex: str) -> _Name:
    elements = _name_elements()["tigrinya"]
    given, given_latin = rng.choice(elements[sex])
    if rng.random() < 0.5:
        family, family_latin = rng.choice(elements["male"])
    else:
        prefix, suffix = rng.choice(elements["family_prefixes"]), rng.choice(elements["family_suffixes"])
        family, family_latin = prefix[0] + suffix[0], prefix[1] + suffix[1]
    return _Name(given, family, given_latin, family_latin)


def _albanian_name(rng: random.Random, sex: str) -> _Name:
    elements = _name_elements()["albanian"]
    return _Name(rng.choice(elements[sex]), rng.choice(elements["family"]), "", "")


def _shipped_pair_name(rng: random.Random, names: str, sex: str) -> _Name:
    """A given and a family name from the shipped [original, Latin] pairs (Arabic, Persian)."""
    elements = _name_elements()[names]
    given, given_latin = rng.choice(elements[sex])
    family, family_latin = rng.choice(elements["family"])
    return _Name(given, family, given_latin, family_latin)


def _faker_name(rng: random.Random, locale: str, sex: str) -> _Name:
    fake = _faker(locale)
    fake.seed_instance(rng.getrandbits(32))
    given = fake.first_name_male() if sex == "male" else fake.first_name_female()
    family = fake.last_name_male() if sex == "male" else fake.last_name_female()
    if locale == "vi_VN":  # a Vietnamese given name is usually a middle name and a first name
        given = f"{fake.middle_name()} {given}"
    return _Name(given, family, latin_form(given), latin_form(family))


def draw_name(rng: random.Random, names: str, sex: str) -> _Name:
    if names == "tigrinya":
        return _tigrinya_name(rng, sex)
    if names == "albanian":
        return _albanian_name(rng, sex)
    if names in SHIPPED_PAIRS:
        return _shipped_pair_name(rng, names, sex)
    return _faker_name(rng, names, sex)


def _opened_at(rng: random.Random, until: datetime.date, years: int) -> datetime.datetime:
    """A moment in the `years` (at most a decade) before `until`, later years weighted as the NRM's
    referrals grew."""
    years_back = rng.choices(range(years), weights=REFERRALS_PER_YEAR[::-1][:years])[0]
    day = until - datetime.timedelta(days=years_back * 365 + rng.randrange(365) + 1)
    # Referrals come in working hours, mostly.
    hour = rng.choice((8, 9, 10, 11, 12, 13, 14, 15, 16, 17)) if rng.random() < 0.85 else rng.randrange(24)
    return datetime.datetime(
        day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=datetime.UTC
    )


def _age_at_opening(rng: random.Random, group: str, precise: bool) -> int:
    """Completed years when the case opened. Adults with an imprecise date are at least 19, so that the
    protective reading of a partial date (could be under 18) does not turn them into children."""
    if group == "child":
        ages = range(3, 18)
        return rng.choices(ages, weights=[1, 1, 1, 1, 1, 2, 2, 3, 4, 6, 9, 13, 17, 20, 18])[0]
    youngest = 18 if precise else 19
    ages = range(youngest, 71)
    return rng.choices(ages, weights=[max(1.0, 30 - abs(age - 28)) for age in ages])[0]


def _birth_date(rng: random.Random, age: int, precision: str, opened: datetime.date) -> datetime.date:
    if precision == BirthDatePrecision.ESTIMATED:
        return birth_date_from_age_estimate(age, opened)
    birth = opened - datetime.timedelta(days=age * 365 + age // 4 + rng.randrange(1, 365))
    if precision == BirthDatePrecision.YEAR_MONTH:
        return birth.replace(day=1)
    if precision == BirthDatePrecision.YEAR:
        return birth.replace(month=1, day=1)
    return birth


@dataclass(frozen=True)
class _Age:
    birth_date: datetime.date | None
    precision: str
    age_uncertain: bool
    believed_child: bool


def _draw_age(rng: random.Random, group: str, opened: datetime.date) -> _Age:
    """Birth date, its precision, and the uncertainty flags, for an age group (child, adult, unknown)."""
    if group == "unknown":
        return _Age(None, BirthDatePrecision.ESTIMATED, True, False)
    if group == "child" and rng.random() < PRESUMED_CHILD_SHARE:
        # Says they are an adult or has no papers, but looks and acts like a child: presumed a minor.
        age = rng.choice((15, 16, 17, 18, 19))
        return _Age(birth_date_from_age_estimate(age, opened), BirthDatePrecision.ESTIMATED, True, True)
    precision = _pick(rng, PRECISION_WEIGHTS)
    age = _age_at_opening(rng, group, precise=precision == BirthDatePrecision.EXACT)
    estimated = precision == BirthDatePrecision.ESTIMATED
    return _Age(
        _birth_date(rng, age, precision, opened), precision, estimated, estimated and group == "child"
    )


def _exploitation_forms(rng: random.Random, sex: str, child: bool) -> tuple[str, ...]:
    sexual = SEXUAL_SHARE[sex]
    weights = {ExploitationForm.SEXUAL_EXPLOITATION.value: sexual}
    others = sum(OTHER_FORM_WEIGHTS.values())
    weights.update({form: weight * (1 - sexual) / others for form, weight in OTHER_FORM_WEIGHTS.items()})
    forms = [_pick(rng, weights)]
    if rng.random() < SECOND_FORM_SHARE:
        second = _pick(rng, weights)
        if second not in forms:
            forms.append(second)
    if child:
        forms = [
            ExploitationForm.CHILD_LABOUR
            if form == ExploitationForm.FORCED_LABOUR and rng.random() < CHILD_LABOUR_SHARE
            else form
            for form in forms
        ]
    return tuple(str(form) for form in forms)


def _between(rng: random.Random, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    seconds = max(0, int((end - start).total_seconds()))
    return start + datetime.timedelta(seconds=rng.randrange(seconds + 1))


@dataclass(frozen=True)
class _Lifecycle:
    phase: str
    status: str
    moved_at: datetime.datetime | None
    phase_before_closing: str = ""
    closure_reason: str = ""
    closed_at: datetime.datetime | None = None


def _draw_lifecycle(rng: random.Random, opened: datetime.datetime, until: datetime.datetime) -> _Lifecycle:
    age_years = (until - opened).days / 365.25
    weights = next(weights for bound, weights in PHASE_BY_AGE if age_years < bound)
    phase = _pick(rng, weights)
    if phase == Phase.IDENTIFICATION:
        return _Lifecycle(phase, CaseStatus.ACTIVE, None)
    moved_at = _between(rng, opened, until)
    if phase != Phase.CLOSED:
        follow_up = phase == Phase.LONG_TERM and rng.random() < FOLLOW_UP_SHARE
        return _Lifecycle(phase, CaseStatus.FOLLOW_UP if follow_up else CaseStatus.ACTIVE, moved_at)
    before = _pick(rng, PHASE_BEFORE_CLOSING)
    reason = _pick(rng, CLOSED_IN_IDENTIFICATION if before == Phase.IDENTIFICATION else CLOSED_LATER)
    status = CaseStatus.CLOSED_REFERRED if reason == ClosureReason.REFERRED_ELSEWHERE else CaseStatus.CLOSED
    closed_at = _between(rng, moved_at, until)
    return _Lifecycle(
        phase,
        status,
        moved_at if before != Phase.IDENTIFICATION else None,
        phase_before_closing=before,
        closure_reason=reason,
        closed_at=closed_at,
    )


def _document_number(rng: random.Random, document_type: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    if document_type in {DocumentType.PASSPORT, DocumentType.TRAVEL_DOCUMENT}:
        return "".join(rng.choice(letters) for _ in range(2)) + f"{rng.randrange(10**7):07d}"
    return f"{rng.randrange(10**9):09d}"


def _documents(rng: random.Random, country: str, child: bool) -> tuple[SyntheticDocument, ...]:
    count = rng.choices((0, 1, 2), weights=(0.40, 0.45, 0.15))[0]
    usual = [DocumentType.PASSPORT, DocumentType.NATIONAL_ID]
    usual += [DocumentType.BIRTH_CERTIFICATE] if child else [DocumentType.WORK_PERMIT]
    usual += [DocumentType.RESIDENCE_PERMIT, DocumentType.TRAVEL_DOCUMENT]
    types = rng.sample(usual, count)
    issuer = "" if country == "XXA" else country
    return tuple(
        SyntheticDocument(str(kind), _document_number(rng, kind), issuer, _pick(rng, HOLDER_WEIGHTS))
        for kind in types
    )


def _languages(rng: random.Random, nationality: Nationality) -> tuple[tuple[str, bool], ...]:
    first = nationality.languages[0]
    spoken = [(first, first != "eng")]
    for other in nationality.languages[1:]:
        if rng.random() < 0.4:
            spoken.append((other, other != "eng" and first != "eng"))
    if all(code != "eng" for code, _ in spoken) and rng.random() < 0.3:
        spoken.append(("eng", False))
    return tuple(spoken)


def _citizenships(rng: random.Random, nationality: Nationality) -> tuple[str, ...]:
    if nationality.country not in {"GBR", "XXA"} and rng.random() < 0.03:
        return (nationality.country, "GBR")
    return (nationality.country,)


def _contact(rng: random.Random) -> tuple[str, str, str]:
    """Phone, e-mail and address where the person stays now (the host country's fictional ones)."""
    fake = _faker("en_GB")
    fake.seed_instance(rng.getrandbits(32))
    phone = fake.phone_number() if rng.random() < 0.5 else ""
    email = fake.safe_email() if rng.random() < 0.15 else ""
    address = fake.address() if rng.random() < 0.6 else ""
    return phone, email, address


def _reference(rng: random.Random) -> str:
    body = "".join(rng.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"NRM-{body[:4]}-{body[4:]}"


def case_stream(seed: int, number: int) -> random.Random:
    """The random stream of case `number` of `seed`: the same case whatever was generated before it."""
    return _stream(f"palermo-synthetic:{seed}:{number}")


def _stream(key: str) -> random.Random:
    # Reproducible, not secret: synthetic data must come out the same for a seed.
    return random.Random(key)  # noqa: S311


def draw_case(seed: int, number: int, until: datetime.date, years: int = YEARS) -> SyntheticCase:
    rng = case_stream(seed, number)
    reference = _reference(rng)
    nationality = rng.choices(NATIONALITIES, weights=[n.weight for n in NATIONALITIES])[0]
    gender = _pick(rng, GENDER_WEIGHTS)
    group = _age_class(rng, nationality)
    until_moment = datetime.datetime.combine(until, datetime.time(), tzinfo=datetime.UTC)
    opened_at = _opened_at(rng, until, years)
    opened = opened_at.date()
    age = _draw_age(rng, group, opened)
    child = is_child(
        birth_date=age.birth_date,
        precision=age.precision,
        age_uncertain=age.age_uncertain,
        believed_child=age.believed_child,
        on=opened,
    )
    sex = gender_sex(gender)
    name_sex = sex if sex != "other" else rng.choice(("male", "female"))
    name = draw_name(rng, nationality.names, name_sex)
    aliases = tuple(
        draw_name(rng, nationality.names, name_sex).given + " " + name.family
        for _ in range(rng.choices((0, 1, 2), weights=(0.85, 0.12, 0.03))[0])
    )
    phone, email, address = _contact(rng)
    person = SyntheticPerson(
        given_names=name.given,
        family_names=name.family,
        given_names_latin=name.given_latin,
        family_names_latin=name.family_latin,
        gender=gender,
        birth_date=age.birth_date,
        birth_date_precision=age.precision,
        age_uncertain=age.age_uncertain,
        believed_child=age.believed_child,
        age_group=age_group_on(age.birth_date, age.precision, opened),
        citizenships=_citizenships(rng, nationality),
        languages=_languages(rng, nationality),
        documents=_documents(rng, nationality.country, child),
        aliases=aliases,
        phone=phone,
        email=email,
        current_address=address,
        note=rng.choice(NOTES) if rng.random() < 0.4 else "",
    )
    lifecycle = _draw_lifecycle(rng, opened_at, until_moment)
    return SyntheticCase(
        number=number,
        reference=reference,
        opened_at=opened_at,
        phase=lifecycle.phase,
        status=lifecycle.status,
        is_child=child,
        exploitation_forms=_exploitation_forms(rng, sex, child),
        person=person,
        moved_at=lifecycle.moved_at,
        phase_before_closing=lifecycle.phase_before_closing,
        closure_reason=lifecycle.closure_reason,
        closed_at=lifecycle.closed_at,
        agency_draw=rng.random(),
        team_draws=tuple(rng.random() for _ in range(4)),
    )


def generate_cases(
    count: int,
    *,
    seed: int = 2023,
    until: datetime.date | None = None,
    start: int = 0,
    years: int = YEARS,
) -> Iterator[SyntheticCase]:
    """`count` synthetic cases of `seed` (numbers `start` to `start + count - 1`), opened in the `years`
    (1 to 10) before `until` (default: today). References are unique within a run."""
    if not 1 <= years <= YEARS:
        raise ValueError(f"cases open over 1 to {YEARS} years, not {years}")
    until = until or datetime.datetime.now(tz=datetime.UTC).date()
    seen: set[str] = set()
    for number in range(start, start + count):
        case = draw_case(seed, number, until, years)
        attempt = 0
        # Rare (two equal references among 100,000 cases: about one run in 200), but the index would refuse.
        while case.reference in seen:
            attempt += 1
            case = _with_reference(case, _reference(_stream(f"palermo-synthetic:{seed}:{number}:{attempt}")))
        seen.add(case.reference)
        yield case


def _with_reference(case: SyntheticCase, reference: str) -> SyntheticCase:
    return SyntheticCase(**{**case.__dict__, "reference": reference})


# ---------------------------------------------------------------------------------------------------------
# Loading in bulk
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    created: int
    skipped: int
    seconds: float
    cases: tuple[Case, ...] = field(default=(), repr=False)


def spread_over(agencies: Sequence[Agency]) -> Callable[[SyntheticCase], Agency]:
    """A lead agency for each case, spread evenly over `agencies`."""
    if not agencies:
        raise ValueError("synthetic cases need at least one agency to lead them")
    return lambda case: agencies[int(case.agency_draw * len(agencies))]


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def case_row(spec: SyntheticCase, lead: Agency, opened_by: User | None) -> Case:
    return Case(
        reference=spec.reference,
        phase=spec.phase,
        status=spec.status,
        lead_agency=lead,
        is_child=spec.is_child,
        opened_at=spec.opened_at,
        opened_by=opened_by,
        phase_before_closing=spec.phase_before_closing,
        closure_reason=spec.closure_reason,
        closed_at=spec.closed_at,
    )


def person_row(spec: SyntheticPerson, case: Case) -> Person:
    return Person(
        case=case,
        given_names=spec.given_names,
        family_names=spec.family_names,
        given_names_latin=spec.given_names_latin,
        family_names_latin=spec.family_names_latin,
        birth_date=spec.birth_date,
        birth_date_precision=spec.birth_date_precision,
        age_uncertain=spec.age_uncertain,
        believed_child=spec.believed_child,
        age_group=spec.age_group,
        gender=spec.gender,
        phone=spec.phone,
        email=spec.email,
        current_address=spec.current_address,
        note=spec.note,
    )


def _events(spec: SyntheticCase, case: Case) -> list[CaseEvent]:
    """The timeline a case of this shape would have: referral, phase moves, closure."""
    events = [
        CaseEvent(
            case=case,
            kind=EventKind.INTAKE,
            tier=NoteTier.METADATA,
            **_summary(None, None),  # the intake service's words
            occurred_at=spec.opened_at,
            agency_id=case.lead_agency_id,
            object_type="case",
            object_id=str(case.pk),
        )
    ]
    moved_to = spec.phase_before_closing or spec.phase
    if spec.moved_at is not None and moved_to != Phase.IDENTIFICATION:
        status = spec.status if spec.phase != Phase.CLOSED else CaseStatus.ACTIVE
        events.append(_status_event(case, spec.moved_at, moved_to, status))
    if spec.closed_at is not None:
        events.append(_status_event(case, spec.closed_at, Phase.CLOSED, spec.status))
    return events


@cache
def _summary_of(phase: str | None, status: str | None, language: str) -> tuple[tuple[str, Any], ...]:
    if phase is None or status is None:
        return tuple(summary_fields(in_record_language(REFERRAL_RECEIVED.summary)).items())
    return tuple(summary_fields(status_summary(phase, status)).items())


def _summary(phase: str | None, status: str | None) -> dict[str, Any]:
    """A timeline entry's summary fields: the referral's (no phase) or a status change's, worded once per
    language of the record."""
    return dict(_summary_of(phase, status, settings.LANGUAGE_CODE))


def _status_event(case: Case, when: datetime.datetime, phase: str, status: str) -> CaseEvent:
    return CaseEvent(
        case=case,
        kind=EventKind.STATUS,
        tier=NoteTier.METADATA,
        **_summary(phase, status),
        occurred_at=when,
        object_type="case",
        object_id=str(case.pk),
    )


# The rows that hang on a case and its person, in the order they are written.
RELATED_MODELS: tuple[type[models.Model], ...] = (
    CaseExploitation,
    PersonCitizenship,
    PersonLanguage,
    IdentityDocument,
    PersonAlias,
    CaseEvent,
)


def related_rows(spec: SyntheticCase, case: Case, person: Person) -> list[models.Model]:
    """The unsaved rows of a written case and its person (both with their primary key): exploitation forms,
    citizenships, languages, identity documents, aliases and the timeline."""
    return [
        *(CaseExploitation(case=case, form=form) for form in spec.exploitation_forms),
        *(PersonCitizenship(person=person, country=code) for code in spec.person.citizenships),
        *(
            PersonLanguage(person=person, language=code, needs_interpreter=interpreter)
            for code, interpreter in spec.person.languages
        ),
        *(
            IdentityDocument(
                person=person,
                type=document.type,
                number=document.number,
                issuing_country=document.issuing_country,
                held_by=document.held_by,
            )
            for document in spec.person.documents
        ),
        *(PersonAlias(person=person, name=alias) for alias in spec.person.aliases),
        *_events(spec, case),
    ]


def _write_batch(
    specs: list[SyntheticCase], lead_agency: Callable[[SyntheticCase], Agency], opened_by: User | None
) -> list[Case]:
    cases = Case.objects.bulk_create([case_row(spec, lead_agency(spec), opened_by) for spec in specs])
    # `opened_at` is stamped with the current time on insert (auto_now_add); give it the generated time.
    for case, spec in zip(cases, specs, strict=True):
        case.opened_at = spec.opened_at
    Case.objects.bulk_update(cases, ["opened_at"])
    persons = Person.objects.bulk_create(
        [person_row(spec.person, case) for spec, case in zip(specs, cases, strict=True)]
    )
    rows: dict[type[models.Model], list[models.Model]] = {}
    for spec, case, person in zip(specs, cases, persons, strict=True):
        for row in related_rows(spec, case, person):
            rows.setdefault(type(row), []).append(row)
    for model in RELATED_MODELS:
        model._default_manager.bulk_create(rows.get(model, []))
    return cases


def bulk_load(
    specs: Iterable[SyntheticCase],
    *,
    lead_agency: Callable[[SyntheticCase], Agency],
    actor: User | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    keep: bool = False,
) -> LoadResult:
    """Write synthetic cases in batches of `batch_size`, each batch in its own transaction; cases whose
    reference exists already are skipped. `progress(created, skipped)` is called after each batch; `keep`
    returns the created Case rows (for a caller that puts them on teams)."""
    started = time.perf_counter()
    created = skipped = 0
    kept: list[Case] = []
    for batch in _batches(specs, batch_size):
        present = set(
            Case.objects.filter(reference__in=[spec.reference for spec in batch]).values_list(
                "reference", flat=True
            )
        )
        fresh = [spec for spec in batch if spec.reference not in present]
        skipped += len(batch) - len(fresh)
        if fresh:
            with transaction.atomic():
                cases = _write_batch(fresh, lead_agency, actor)
            created += len(cases)
            if keep:
                kept += cases
        if progress is not None:
            progress(created, skipped)
    if created:
        audit_record(
            actor=actor,
            action=AUDIT_ACTION,
            tier=0,
            object_type="case",
            reason=f"{created} synthetic cases written in bulk",
        )
    return LoadResult(created, skipped, time.perf_counter() - started, tuple(kept))
