"""Jurisdiction rulebooks: law as data. Periods and thresholds are read from rulebooks/*.toml.

A rulebook is one TOML file in ``settings.RULEBOOK_DIR``; the active one is ``settings.PALERMO_RULEBOOK``.
The pydantic models below are its schema and its typed view: every key is required and unknown keys are
refused, so a typo cannot silently fall back to nothing. A file that breaks a rule is refused with the file,
the key and the reason; ``docs/rulebooks.md`` documents every key.

- ``rulebook(name=None)`` -> the validated rulebook (cached per process), read by attribute:
  ``rulebook().reflection.minimum.end(starts_on)``;
- ``compared(name)`` -> each recommendation of the position paper (``osce-2005``) against a rulebook, and
  ``shortfalls(name)`` -> where it falls short.

The core does not know the forms of exploitation (the case record owns them): the cases app registers them
with ``register_exploitation_forms`` when it starts, and ``exploitation.recognised_forms`` is checked
against them.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar

import annotated_types
from django.conf import settings
from django.core import checks
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from palermo.core.periods import DayKind, Holidays, add_period

NAME_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The rulebook that encodes the position paper: the yardstick of `shortfalls`.
PAPER_RULEBOOK = "osce-2005"
TEN_YEARS_IN_DAYS = 3650
TEN_YEARS_IN_MONTHS = 120
# Every start day of a leap-year cycle: two periods compare the same on every start day within it.
CYCLE_START = datetime.date(2024, 1, 1)
CYCLE_DAYS = 4 * 365 + 1
Item = TypeVar("Item")


class RulebookError(ValueError):
    """A rulebook file that cannot be used; the message names the file, key and reason."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class Problem(NamedTuple):
    key: str
    reason: str


# --- the forms of exploitation, registered by the case record ----------------------------------------------

_exploitation_forms: list[str] = []


def register_exploitation_forms(forms: Iterable[str]) -> None:
    """The HTCDS vic_TypeOfExploitation names the case record knows (called by the cases app when ready)."""
    _exploitation_forms[:] = list(forms)


def _one_of(value: str, known: list[str], what: str, registrar: str) -> str:
    """`value` if it is among the names an app registered, else why not (with the closest name)."""
    if not known:
        raise ValueError(f"no {what}s are registered (the {registrar} app registers them when ready)")
    if value not in known:
        close = difflib.get_close_matches(value, known, n=1)
        hint = f'did you mean "{close[0]}"?' if close else f"known: {', '.join(known)}"
        raise ValueError(f'unknown {what} "{value}" ({hint})')
    return value


def _known_form(form: str) -> str:
    return _one_of(form, _exploitation_forms, "exploitation form", "cases")


# --- the types of agency, registered by the accounts app ---------------------------------------------------

_agency_types: list[str] = []


def register_agency_types(types: Iterable[str]) -> None:
    """The agency types that may be routed to a case or own a duty (called by the accounts app when ready)."""
    _agency_types[:] = list(types)


def _known_agency_type(kind: str) -> str:
    return _one_of(kind, _agency_types, "agency type", "accounts")


def _each_once(forms: tuple[Item, ...]) -> tuple[Item, ...]:
    twice = [form for index, form in enumerate(forms) if form in forms[:index]]
    if twice:
        raise ValueError(f'"{twice[0]}" is listed twice')
    return forms


MONTH_DAY = re.compile(r"(\d\d)-(\d\d)")
A_LEAP_YEAR = 2024


def _parse_month_day(text: str) -> tuple[int, int]:
    found = MONTH_DAY.fullmatch(text)
    if found is None:
        raise ValueError(f'"{text}" must be a month and day written MM-DD, e.g. "12-25"')
    month, day = int(found[1]), int(found[2])
    try:
        datetime.date(A_LEAP_YEAR, month, day)
    except ValueError:
        raise ValueError(f'"{text}" is not a day of the year') from None
    return month, day


def _month_day(text: str) -> str:
    _parse_month_day(text)
    return text


def _known_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    known = schema_keys()
    for key in keys:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            raise ValueError(
                f'"{key}" is not a rulebook key' + (f" (did you mean {close[0]}?)" if close else "")
            )
    return _each_once(keys)


def _increasing(numbers: tuple[int, ...]) -> tuple[int, ...]:
    if list(numbers) != sorted(set(numbers)):
        raise ValueError("must list each number once, in increasing order")
    return numbers


# --- the schema, which is also the typed view --------------------------------------------------------------
# Strict: TOML already gives integers, booleans and dates, so "90" for a number or 1 for true is a mistake.
# Lists are read into tuples (immutable), and day kinds from their text, so those two are not strict.


Days = Annotated[int, Field(ge=0, le=TEN_YEARS_IN_DAYS)]
Months = Annotated[int, Field(ge=0, le=TEN_YEARS_IN_MONTHS)]
DeadlineDays = Annotated[int, Field(ge=1, le=TEN_YEARS_IN_DAYS)]
EntitlementDays = Annotated[int, Field(ge=0, le=90)]
UpToAYear = Annotated[int, Field(ge=0, le=365)]
WithinAYear = Annotated[int, Field(ge=1, le=365)]
Kind = Annotated[DayKind, Field(strict=False)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Section(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Period(Section):
    """A period the law states: in calendar months ({months = 3}) or in calendar days ({days = 30}), one of
    the two. Months are counted as calendar months (palermo.core.periods.add_months)."""

    days: Days | None = None
    months: Months | None = None

    @model_validator(mode="after")
    def _one_unit(self) -> Period:
        if (self.days is None) == (self.months is None):
            raise ValueError("must give exactly one of days or months, e.g. {months = 3} or {days = 30}")
        return self

    def end(self, start: datetime.date) -> datetime.date:
        """The day the period ends when it starts on `start` (30 November + 3 months = 28/29 February)."""
        return add_period(start, days=self.days or 0, months=self.months or 0)

    def days_from(self, start: datetime.date) -> int:
        """Its length in days when it starts on `start`."""
        return (self.end(start) - start).days

    def shorter_than(self, other: Period) -> bool:
        """True when this period ends before `other` for at least one start day."""
        starts = (CYCLE_START + datetime.timedelta(days=offset) for offset in range(CYCLE_DAYS))
        return any(self.end(day) < other.end(day) for day in starts)

    def __str__(self) -> str:
        if self.months is not None:
            return f"{self.months} month" + ("" if self.months == 1 else "s")
        return f"{self.days} day" + ("" if self.days == 1 else "s")


class Extension(enum.StrEnum):
    """May a reflection period be extended? "yes", "no", or "state-decides" where the text leaves it to the
    State (a minimum such as the Convention's): the software then allows it, and says whose choice it is."""

    YES = "yes"
    NO = "no"
    STATE_DECIDES = "state-decides"


class Meta(Section):
    name: Annotated[str, StringConstraints(max_length=64, pattern=NAME_PATTERN.pattern)]
    title: Title
    jurisdiction: Label
    sources: Annotated[tuple[Source, ...], Field(strict=False, min_length=1)]
    valid_from: datetime.date
    # The dotted keys whose figure has not been checked against its source yet (`rulebook_check` lists them).
    unverified: Annotated[tuple[str, ...], Field(strict=False), AfterValidator(_known_keys)] = ()

    @field_validator("name")
    @classmethod
    def _is_the_file_name(cls, name: str, info: ValidationInfo) -> str:
        wanted = (info.context or {}).get("name")
        if wanted is not None and name != wanted:
            raise ValueError(f'must be the file name without .toml ("{wanted}")')
        return name


class Reflection(Section):
    # minimum comes first so that length can be checked against it.
    minimum: Period
    length: Period
    extension: Annotated[Extension, Field(strict=False)]

    @field_validator("length")
    @classmethod
    def _at_least_the_minimum(cls, length: Period, info: ValidationInfo) -> Period:
        minimum = info.data.get("minimum")
        if minimum is not None and length.shorter_than(minimum):
            raise ValueError(f"must be at least reflection.minimum ({minimum}) from every start day")
        return length

    @property
    def extendable(self) -> bool:
        """May a running period be extended here (yes, or left to the State and so not forbidden)?"""
        return self.extension is not Extension.NO


AgencyTypeName = Annotated[str, AfterValidator(_known_agency_type)]
AgencyTypes = Annotated[tuple[AgencyTypeName, ...], Field(strict=False), AfterValidator(_each_once)]


class Entitlements(Section):
    """Each entitlement: due so many days after the period's first day, and the duty of the case team's agency
    of one type (`<kind>_owner`; the lead agency when no agency of that type is on the team)."""

    safe_accommodation_days: EntitlementDays
    legal_information_days: EntitlementDays
    legal_assistance_days: EntitlementDays
    medical_care_days: EntitlementDays
    psychosocial_care_days: EntitlementDays
    material_assistance_days: EntitlementDays
    interpretation_days: EntitlementDays
    safe_accommodation_owner: AgencyTypeName
    legal_information_owner: AgencyTypeName
    legal_assistance_owner: AgencyTypeName
    medical_care_owner: AgencyTypeName
    psychosocial_care_owner: AgencyTypeName
    material_assistance_owner: AgencyTypeName
    interpretation_owner: AgencyTypeName


class Decisions(Section):
    presumed_victim_days: WithinAYear
    presumed_victim_day_kind: Kind
    identified_victim_days: DeadlineDays
    identified_victim_day_kind: Kind
    review_days: WithinAYear
    review_day_kind: Kind


class Residence(Section):
    permit_minimum_months: Annotated[int, Field(ge=0, le=120)]
    renewable: bool
    permit_allows_work: bool
    permit_allows_study: bool
    status_may_depend_on_cooperation: bool
    renewal_window_days: UpToAYear
    application_decision_days: WithinAYear
    appeal_decision_days: WithinAYear


class Justice(Section):
    """Protection in proceedings (palermo.justice): when a risk assessment is reviewed, how long before a
    hearing its protective measures are asked for, and the law a non-punishment request cites."""

    risk_review_days: WithinAYear
    hearing_measures_days: UpToAYear
    non_punishment_basis: Source


class Protection(Section):
    """Protection from removal beyond the reflection period's own dates (the non-removal look-up reads these):
    each says whether protection lasts until a decision still pending, so the answer then has no end date."""

    # From the referral until the presumed-victim decision (CETS No. 197 art. 10(2)), whether or not a
    # reflection period was requested.
    from_referral: bool
    # After a positive presumed-victim decision, until the identified-victim decision, past the end of the
    # reflection period if that decision comes later (UK: the recovery period runs to the later of the two).
    until_identified_decision: bool
    # While a reconsideration or appeal of a negative identification decision is pending.
    during_review: bool


class Children(Section):
    age_threshold: Annotated[int, Field(ge=12, le=21)]
    guardian_appointment_days: UpToAYear
    presumption_of_minority: bool
    care_review_days: WithinAYear
    return_followup_days: Annotated[
        tuple[DeadlineDays, ...], Field(strict=False), AfterValidator(_increasing)
    ]


class Access(Section):
    break_glass_hours: Annotated[int, Field(ge=1, le=72)]


class Routing(Section):
    """Which types of agency join a case's team at which event (palermo.access.routing): for each type, the
    active agency of the case's region (the lead agency's), else one with no region; else none."""

    # A positive presumed-victim decision (also on review).
    presumed_victim: AgencyTypes
    # A positive identified-victim decision.
    identified_victim: AgencyTypes
    # A case opened as a child's, or that becomes a child's.
    child: AgencyTypes
    # An application for a residence status (permit, asylum, humanitarian...) lodged.
    residence_application: AgencyTypes


class Portal(Section):
    """The public portal's contact requests (palermo.portal): which type of agency picks them up (the active
    one of the region the person chose, else a national one), and how many days one waits before it lapses."""

    contact_agency_type: AgencyTypeName
    contact_expiry_days: Annotated[int, Field(ge=1, le=30)]


class Languages(Section):
    """The language the staff interface opens in until a person chooses another (a code of LANGUAGES)."""

    staff_first: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")]


class Referrals(Section):
    response_days: Annotated[int, Field(ge=1, le=90)]


class Retention(Section):
    """How long personal data is kept after a case closes, per closed state, and whether the person may have
    it erased sooner (palermo.privacy)."""

    closed: Period
    closed_referred: Period
    erasure_on_request: bool


class Exploitation(Section):
    recognised_forms: Annotated[
        tuple[Annotated[str, AfterValidator(_known_form)], ...],
        Field(strict=False, min_length=1),
        AfterValidator(_each_once),
    ]


class Statistics(Section):
    """Publishing counts (palermo.statistics, docs/decisions/0040): the smallest number of persons a published
    cell may count (smaller ones are withheld, with the cells that would give them away), and the yearly
    privacy-loss budget (epsilon) that the differentially private releases of one year may spend together."""

    minimum_cell: Annotated[int, Field(ge=3, le=100)]
    privacy_budget_per_year: Annotated[float, Field(gt=0, le=50)]


class Calendar(Section):
    """The days that are not working days besides Saturday and Sunday."""

    public_holidays: Annotated[tuple[datetime.date, ...], Field(strict=False), AfterValidator(_each_once)]
    yearly_holidays: Annotated[
        tuple[Annotated[str, AfterValidator(_month_day)], ...],
        Field(strict=False),
        AfterValidator(_each_once),
    ]

    @property
    def holidays(self) -> Holidays:
        return Holidays.of(self.public_holidays, (_parse_month_day(text) for text in self.yearly_holidays))


class Origin(Section):
    """Country-of-origin information (palermo.origin): an entry not reviewed within this many months is due
    for review, and shows so until someone reviews it or marks it out of date."""

    review_months: Annotated[int, Field(ge=1, le=60)]


class Returns(Section):
    """Safe and voluntary return of adults (palermo.returns): the follow-up contacts after arrival, in days
    from the day the person arrived (each a deadline until done); how long the receiving partner's assessment
    clears a return, in days from the day it was made."""

    followup_days: Annotated[tuple[DeadlineDays, ...], Field(strict=False), AfterValidator(_increasing)]
    partner_assessment_valid_days: WithinAYear


class Rulebook(Section):
    meta: Meta
    reflection: Reflection
    entitlements: Entitlements
    decisions: Decisions
    residence: Residence
    justice: Justice
    protection: Protection
    children: Children
    access: Access
    routing: Routing
    portal: Portal
    languages: Languages
    referrals: Referrals
    retention: Retention
    exploitation: Exploitation
    statistics: Statistics
    calendar: Calendar
    origin: Origin
    returns: Returns


def schema_keys() -> list[str]:
    """Every dotted key a rulebook must have, in schema order."""
    return [
        f"{section}.{key}"
        for section, info in Rulebook.model_fields.items()
        for key in _model(info).model_fields
    ]


# --- problems, worded for the person who edits the file ----------------------------------------------------

# pydantic's error types, in the words of the rest of this module (and of docs/rulebooks.md).
REASONS = {
    "int_type": "must be an integer",
    "greater_than_equal": "must be >= {ge}",
    "less_than_equal": "must be <= {le}",
    "bool_type": "must be true or false",
    "enum": "must be {expected}",
    "date_type": "must be a date written YYYY-MM-DD (no time)",
    "string_type": "must be a text",
    "string_too_short": "must be a non-empty text",
    "string_too_long": "must be a text of at most {max_length} characters",
    "string_pattern_mismatch": 'must be lower-case letters and digits joined by hyphens, e.g. "osce-2005"',
    "too_short": "must be a non-empty list",
    "tuple_type": "must be a list",
}
RANGE_ERRORS = {"int_type", "greater_than_equal", "less_than_equal"}


def _shown(value: Any) -> str:
    """A value as it would be written in TOML, short enough for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value[:40]}..."' if len(value) > 40 else f'"{value}"'
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return str(value)


def _model(info: FieldInfo) -> type[BaseModel]:
    assert isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)  # noqa: S101
    return info.annotation


def _field(loc: tuple[int | str, ...]) -> FieldInfo | None:
    """The field a (section, key) location names, None for a section, a list item or an unknown name."""
    if len(loc) != 2 or loc[0] not in Rulebook.model_fields:
        return None
    return _model(Rulebook.model_fields[str(loc[0])]).model_fields.get(str(loc[1]))


def _key(loc: tuple[int | str, ...]) -> str:
    """("meta", "sources", 1) -> "meta.sources[1]"."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def _unknown(loc: tuple[int | str, ...]) -> str:
    known = list(
        Rulebook.model_fields if len(loc) == 1 else _model(Rulebook.model_fields[str(loc[0])]).model_fields
    )
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(known)}"
    return f"unknown {'section' if len(loc) == 1 else 'key'} ({hint})"


def _reason(error: ErrorDetails) -> str:
    loc, kind, context = error["loc"], error["type"], error.get("ctx", {})
    if kind == "missing":
        return "missing section" if len(loc) == 1 else "missing"
    if kind == "extra_forbidden":
        return _unknown(loc)
    if kind == "model_type" and len(loc) == 1:
        return f"must be a table ([{loc[0]}]), not {_shown(error['input'])}"
    if kind == "model_type":
        return f"must be a table such as {{months = 3}} or {{days = 30}}, not {_shown(error['input'])}"
    if kind == "value_error":
        return str(context["error"])
    field = _field(loc)
    if kind in RANGE_ERRORS and field is not None:
        low = next(item.ge for item in field.metadata if isinstance(item, annotated_types.Ge))
        high = next(item.le for item in field.metadata if isinstance(item, annotated_types.Le))
        reason = f"must be an integer >= {low} and <= {high}"
    else:
        reason = REASONS.get(kind, error["msg"]).format(**context)
    return (
        f"{reason}, not {_shown(error['input'])}" if kind not in {"too_short", "string_too_long"} else reason
    )


def validate(data: dict[str, Any], *, name: str) -> tuple[Rulebook | None, list[Problem]]:
    """The rulebook and no problems, or None and every problem of the parsed file, in schema order."""
    try:
        return Rulebook.model_validate(data, context={"name": name}), []
    except ValidationError as refused:
        return None, [Problem(_key(error["loc"]), _reason(error)) for error in refused.errors()]


# --- loading -----------------------------------------------------------------------------------------------


def _display(path: Path) -> str:
    """The path as an operator would type it: relative to the project when the file is inside it."""
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def rulebook_path(name: str) -> Path:
    if not NAME_PATTERN.fullmatch(name):
        raise RulebookError(
            f'"{name}": not a rulebook name (lower-case letters and digits joined by hyphens)'
        )
    return Path(settings.RULEBOOK_DIR) / f"{name}.toml"


def available_rulebooks() -> list[str]:
    """The names of the rulebook files in RULEBOOK_DIR, valid or not."""
    return sorted(path.stem for path in Path(settings.RULEBOOK_DIR).glob("*.toml"))


def _parse(path: Path) -> dict[str, Any]:
    shown = _display(path)
    if not path.is_file():
        raise RulebookError(f"{shown}: no such rulebook")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise RulebookError(f"{shown}: not UTF-8 text", [Problem("", "not UTF-8 text")]) from error
    except tomllib.TOMLDecodeError as error:
        reason = f"not valid TOML: {error}"
        raise RulebookError(f"{shown}: {reason}", [Problem("", reason)]) from error


@cache
def rulebook(name: str | None = None) -> Rulebook:
    """The rulebook `name` (default: the active one), validated, or RulebookError naming file, key, reason.

    Cached for the life of the process: restart to pick up an edited file. The model is frozen.
    """
    name = name or settings.PALERMO_RULEBOOK
    path = rulebook_path(name)
    book, problems = validate(_parse(path), name=name)
    if book is None:
        shown = _display(path)
        lines = [f"{shown}: {problem.key}: {problem.reason}" for problem in problems]
        raise RulebookError("\n".join(lines), problems)
    return book


@receiver(setting_changed)
def _forget_loaded_rulebooks(*, setting: str, **kwargs: Any) -> None:
    # Tests switch rulebooks with override_settings; a cached default would otherwise outlive the switch.
    if setting in {"PALERMO_RULEBOOK", "RULEBOOK_DIR"}:
        rulebook.cache_clear()


def check_active_rulebook(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check: refuse to start with an active rulebook that cannot be used."""
    try:
        rulebook()
    except RulebookError as error:
        return [
            checks.Error(
                f"The active rulebook (PALERMO_RULEBOOK={settings.PALERMO_RULEBOOK}) cannot be used:"
                f"\n{error}",
                hint="Correct the file or choose another rulebook (see `palermo rulebook_check --all`).",
                id="palermo.E010",
            )
        ]
    return []


# --- comparison with the position paper --------------------------------------------------------------------


class Expect(enum.Enum):
    AT_LEAST = "at least the paper's value"
    SAME = "the paper's yes or no"
    INCLUDES = "a given exploitation form"
    COVERS = "every form the paper's rulebook recognises"


@dataclass(frozen=True)
class Recommendation:
    key: str
    topic: str | Promise  # in the reader's language on the pages, in English in the command's report
    expect: Expect
    paper_says: str
    unit: str = ""
    form: str = ""


RECOMMENDATIONS: tuple[Recommendation, ...] = (
    Recommendation(
        "reflection.length",
        _("reflection and recovery period granted"),
        Expect.AT_LEAST,
        '"no less than three months" for every presumed victim (Residence Regimes (1))',
    ),
    Recommendation(
        "reflection.minimum",
        _("shortest reflection period allowed"),
        Expect.AT_LEAST,
        '"a minimum 3-month reflection/recovery period" (Assistance, Points for Action)',
    ),
    Recommendation(
        "residence.permit_minimum_months",
        _("minimum validity of the temporary residence permit"),
        Expect.AT_LEAST,
        '"valid for at least six months" (Residence Regimes (2))',
        unit="months",
    ),
    Recommendation(
        "residence.renewable",
        _("is the permit renewable?"),
        Expect.SAME,
        '"This permit should be renewable" (Residence Regimes (2))',
    ),
    Recommendation(
        "residence.permit_allows_work",
        _("does the permit allow work?"),
        Expect.SAME,
        '"allow the holder to work and study" (Residence Regimes (2))',
    ),
    Recommendation(
        "residence.permit_allows_study",
        _("does the permit allow study?"),
        Expect.SAME,
        '"allow the holder to work and study" (Residence Regimes (2))',
    ),
    Recommendation(
        "residence.status_may_depend_on_cooperation",
        _("may residence status depend on co-operation with the authorities?"),
        Expect.SAME,
        '"regardless of their willingness and/or ability to cooperate" '
        "(Residence Regimes (2); Principles 2, 4)",
    ),
    Recommendation(
        "children.age_threshold",
        _("age under which a person is a child"),
        Expect.AT_LEAST,
        '"a child, i.e. under 18" (Children, Identification)',
        unit="years",
    ),
    Recommendation(
        "children.presumption_of_minority",
        _("is a person of uncertain age presumed to be a child?"),
        Expect.SAME,
        '"Presumption of the age of the victim in cases of uncertainty" (Children, Identification)',
    ),
    Recommendation(
        "exploitation.recognised_forms",
        _("is trafficking for labour exploitation recognised?"),
        Expect.INCLUDES,
        '"give more focus on trafficking for labour exploitation" '
        "(Identification of all forms of exploitation)",
        form="ForcedLabour",
    ),
    Recommendation(
        "exploitation.recognised_forms",
        _("are all forms of exploitation recognised?"),
        Expect.COVERS,
        '"all manifestations of exploitation are identified" (Identification)',
    ),
)


@dataclass(frozen=True)
class Shortfall:
    recommendation: Recommendation
    paper_value: str
    rulebook_value: str


def _words(value: Any, unit: str) -> str:
    if isinstance(value, Period):
        return f"{value} (none set)" if value.days == 0 or value.months == 0 else str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit in {"days", "months"} and value == 0:
        return f"0 {unit} (none set)"
    return f"{value} {unit}".strip()


def missing_forms(paper: Sequence[str], book: Sequence[str]) -> list[str]:
    """The paper's forms of exploitation a rulebook does not recognise, but labour exploitation, which has
    its own point (so that it is not counted twice)."""
    return [form for form in paper if form not in book and form != "ForcedLabour"]


def _shortfall(item: Recommendation, paper: Any, book: Any) -> Shortfall | None:
    if item.expect is Expect.AT_LEAST:
        if book.shorter_than(paper) if isinstance(book, Period) else book < paper:
            return Shortfall(item, f"at least {_words(paper, item.unit)}", _words(book, item.unit))
    elif item.expect is Expect.SAME:
        if book != paper:
            return Shortfall(item, _words(paper, item.unit), _words(book, item.unit))
    elif item.expect is Expect.INCLUDES:
        if item.form not in book:
            return Shortfall(item, f"{item.form} recognised", f"{item.form} not recognised")
    else:
        missing = missing_forms(paper, book)
        if missing:
            return Shortfall(
                item, f"all {len(paper)} forms of {PAPER_RULEBOOK}", "missing " + ", ".join(missing)
            )
    return None


def _value(book: Rulebook, dotted_key: str) -> Any:
    section, key = dotted_key.split(".")
    return getattr(getattr(book, section), key)


@dataclass(frozen=True)
class Comparison:
    """One recommendation of the paper against rulebook `name`: both values as the rulebooks hold them."""

    recommendation: Recommendation
    paper: Any
    rulebook: Any
    shortfall: Shortfall | None

    @property
    def meets(self) -> bool:
        return self.shortfall is None


def compared(name: str) -> list[Comparison]:
    """Every recommendation of the position paper against rulebook `name`, in the paper's order.

    The paper's values are read from the osce-2005 rulebook, which encodes it.
    """
    paper, book = rulebook(PAPER_RULEBOOK), rulebook(name)
    found = []
    for item in RECOMMENDATIONS:
        wanted, held = _value(paper, item.key), _value(book, item.key)
        found.append(Comparison(item, wanted, held, _shortfall(item, wanted, held)))
    return found


def shortfalls(name: str) -> list[Shortfall]:
    """Where rulebook `name` falls short of the position paper, in the paper's order (none: it meets all)."""
    return [item.shortfall for item in compared(name) if item.shortfall is not None]


def rulebook_title(name: str) -> str:
    """The title of the rulebook `name`, as a reader names the law (a record keeps the key of the rulebook
    that applied); the key itself for one that no longer loads (removed or broken since)."""
    try:
        return rulebook(name).meta.title
    except RulebookError:
        return name
