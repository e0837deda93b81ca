"""Jurisdiction rulebooks: law as data. Periods and thresholds are read from rulebooks/*.toml.

A rulebook is one TOML file in ``settings.RULEBOOK_DIR``; the active one is ``settings.PALERMO_RULEBOOK``.
The dataclasses below are its schema: each field names a key and carries the rule its value must meet. Every
key is required and unknown keys are refused, so a typo cannot silently fall back to nothing. A file that
breaks a rule is refused with the file, the key and the reason; ``docs/rulebooks.md`` documents every key.

- ``load_rulebook(name=None)`` -> the validated file as a dict (cached per process);
- ``rule("section.key", rulebook=None)`` -> one value;
- ``get_rulebook(name=None)`` -> the same values as typed dataclasses;
- ``shortfalls(name)`` -> where a rulebook falls short of the position paper (``osce-2005``).
"""

from __future__ import annotations

import datetime
import difflib
import enum
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, get_type_hints

from django.conf import settings
from django.core import checks
from django.core.signals import setting_changed
from django.dispatch import receiver

NAME_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The rulebook that encodes the position paper: the yardstick of `shortfalls`.
PAPER_RULEBOOK = "osce-2005"
TEN_YEARS_IN_DAYS = 3650


class RulebookError(ValueError):
    """A rulebook file that cannot be used; the message names the file, key and reason."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class Problem(NamedTuple):
    key: str
    reason: str


class DayKind(enum.StrEnum):
    """How a deadline counts: every day, or Monday to Friday (public holidays are not known to rulebooks)."""

    CALENDAR = "calendar"
    WORKING = "working"


# --- the rules a value must meet ---------------------------------------------------------------------------


def _shown(value: Any) -> str:
    """A value as it would be written in TOML, short enough for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value[:40]}..."' if len(value) > 40 else f'"{value}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return str(value)


class Check:
    """A rule for one value: its problems as (key suffix, reason) pairs, and its form in the typed view."""

    def problems(self, value: Any) -> list[tuple[str, str]]:
        raise NotImplementedError

    def convert(self, value: Any) -> Any:
        return value


@dataclass(frozen=True)
class Integer(Check):
    low: int
    high: int

    def problems(self, value: Any) -> list[tuple[str, str]]:
        # TOML booleans arrive as bool, which Python counts as int: refuse them explicitly.
        if isinstance(value, bool) or not isinstance(value, int) or not self.low <= value <= self.high:
            return [("", f"must be an integer >= {self.low} and <= {self.high}, not {_shown(value)}")]
        return []


class Flag(Check):
    def problems(self, value: Any) -> list[tuple[str, str]]:
        return [] if isinstance(value, bool) else [("", f"must be true or false, not {_shown(value)}")]


@dataclass(frozen=True)
class Text(Check):
    max_length: int = 200

    def problems(self, value: Any) -> list[tuple[str, str]]:
        if not isinstance(value, str) or not value.strip() or len(value) > self.max_length:
            return [("", f"must be a non-empty text of at most {self.max_length} characters")]
        return []


class Name(Check):
    def problems(self, value: Any) -> list[tuple[str, str]]:
        if not isinstance(value, str) or len(value) > 64 or not NAME_PATTERN.fullmatch(value):
            return [("", f'must be lower-case letters and digits joined by hyphens, e.g. "{PAPER_RULEBOOK}"')]
        return []


@dataclass(frozen=True)
class Choice(Check):
    choices: type[enum.StrEnum]

    def problems(self, value: Any) -> list[tuple[str, str]]:
        allowed = [member.value for member in self.choices]
        if value not in allowed:
            listed = ", ".join(f'"{choice}"' for choice in allowed)
            return [("", f"must be one of {listed}, not {_shown(value)}")]
        return []

    def convert(self, value: Any) -> Any:
        return self.choices(value)


class Day(Check):
    def problems(self, value: Any) -> list[tuple[str, str]]:
        # A TOML date-time arrives as datetime, a subclass of date: a rule starts on a day, not an instant.
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            return [("", f"must be a date written YYYY-MM-DD (no time), not {_shown(value)}")]
        return []


@dataclass(frozen=True)
class Texts(Check):
    max_length: int = 500

    def problems(self, value: Any) -> list[tuple[str, str]]:
        if not isinstance(value, list) or not value:
            return [("", "must be a non-empty list of texts")]
        return [
            (f"[{index}]", f"must be a non-empty text of at most {self.max_length} characters")
            for index, item in enumerate(value)
            if not isinstance(item, str) or not item.strip() or len(item) > self.max_length
        ]

    def convert(self, value: Any) -> Any:
        return tuple(value)


def exploitation_forms() -> list[str]:
    """The HTCDS vic_TypeOfExploitation value names the case record knows, plus ForcedCriminality."""
    from palermo.cases.reference import ExploitationForm  # the case record owns the list

    return [form.value for form in ExploitationForm]


@dataclass(frozen=True)
class Integers(Check):
    low: int
    high: int

    def problems(self, value: Any) -> list[tuple[str, str]]:
        if not isinstance(value, list):
            return [("", "must be a list of integers (may be empty)")]
        found = [
            (f"[{index}]", f"must be an integer >= {self.low} and <= {self.high}, not {_shown(item)}")
            for index, item in enumerate(value)
            if isinstance(item, bool) or not isinstance(item, int) or not self.low <= item <= self.high
        ]
        if not found and value != sorted(set(value)):
            found.append(("", "must list each number once, in increasing order"))
        return found

    def convert(self, value: Any) -> Any:
        return tuple(value)


class Forms(Check):
    def problems(self, value: Any) -> list[tuple[str, str]]:
        if not isinstance(value, list) or not value:
            return [("", "must be a non-empty list of exploitation forms")]
        known = exploitation_forms()
        found: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            if item not in known:
                close = difflib.get_close_matches(str(item), known, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else f" (known: {', '.join(known)})"
                found.append((f"[{index}]", f"unknown exploitation form {_shown(item)}{hint}"))
            elif value.index(item) != index:
                found.append((f"[{index}]", f'"{item}" is listed twice'))
        return found

    def convert(self, value: Any) -> Any:
        return tuple(value)


# --- the schema, which is also the typed view --------------------------------------------------------------

DAYS = Integer(0, TEN_YEARS_IN_DAYS)
DEADLINE_DAYS = Integer(1, TEN_YEARS_IN_DAYS)


@dataclass(frozen=True)
class Meta:
    name: str = field(metadata={"check": Name()})
    title: str = field(metadata={"check": Text()})
    jurisdiction: str = field(metadata={"check": Text(100)})
    sources: tuple[str, ...] = field(metadata={"check": Texts()})
    valid_from: datetime.date = field(metadata={"check": Day()})


@dataclass(frozen=True)
class Reflection:
    length_days: int = field(metadata={"check": DAYS})
    minimum_days: int = field(metadata={"check": DAYS})
    extendable: bool = field(metadata={"check": Flag()})


@dataclass(frozen=True)
class Decisions:
    presumed_victim_days: int = field(metadata={"check": Integer(1, 365)})
    presumed_victim_day_kind: DayKind = field(metadata={"check": Choice(DayKind)})
    identified_victim_days: int = field(metadata={"check": DEADLINE_DAYS})
    identified_victim_day_kind: DayKind = field(metadata={"check": Choice(DayKind)})
    review_days: int = field(metadata={"check": Integer(1, 365)})
    review_day_kind: DayKind = field(metadata={"check": Choice(DayKind)})


@dataclass(frozen=True)
class Residence:
    permit_minimum_months: int = field(metadata={"check": Integer(0, 120)})
    renewable: bool = field(metadata={"check": Flag()})
    permit_allows_work: bool = field(metadata={"check": Flag()})
    permit_allows_study: bool = field(metadata={"check": Flag()})
    status_may_depend_on_cooperation: bool = field(metadata={"check": Flag()})
    renewal_window_days: int = field(metadata={"check": Integer(0, 365)})
    application_decision_days: int = field(metadata={"check": Integer(1, 365)})
    appeal_decision_days: int = field(metadata={"check": Integer(1, 365)})


ENTITLEMENT_DAYS = Integer(0, 90)


@dataclass(frozen=True)
class Entitlements:
    safe_accommodation_days: int = field(metadata={"check": ENTITLEMENT_DAYS})
    legal_information_days: int = field(metadata={"check": ENTITLEMENT_DAYS})
    legal_assistance_days: int = field(metadata={"check": ENTITLEMENT_DAYS})
    medical_care_days: int = field(metadata={"check": ENTITLEMENT_DAYS})
    psychosocial_care_days: int = field(metadata={"check": ENTITLEMENT_DAYS})
    material_assistance_days: int = field(metadata={"check": ENTITLEMENT_DAYS})
    interpretation_days: int = field(metadata={"check": ENTITLEMENT_DAYS})


@dataclass(frozen=True)
class Children:
    age_threshold: int = field(metadata={"check": Integer(12, 21)})
    guardian_appointment_days: int = field(metadata={"check": Integer(0, 365)})
    presumption_of_minority: bool = field(metadata={"check": Flag()})
    care_review_days: int = field(metadata={"check": Integer(1, 365)})
    return_followup_days: tuple[int, ...] = field(metadata={"check": Integers(1, TEN_YEARS_IN_DAYS)})


@dataclass(frozen=True)
class Access:
    break_glass_hours: int = field(metadata={"check": Integer(1, 72)})


@dataclass(frozen=True)
class Referrals:
    response_days: int = field(metadata={"check": Integer(1, 90)})


@dataclass(frozen=True)
class Exploitation:
    recognised_forms: tuple[str, ...] = field(metadata={"check": Forms()})


@dataclass(frozen=True)
class Rulebook:
    meta: Meta
    reflection: Reflection
    entitlements: Entitlements
    decisions: Decisions
    residence: Residence
    children: Children
    access: Access
    referrals: Referrals
    exploitation: Exploitation


SECTIONS: dict[str, type] = get_type_hints(Rulebook)


def schema_keys() -> list[str]:
    """Every dotted key a rulebook must have, in schema order."""
    return [f"{section}.{item.name}" for section, kind in SECTIONS.items() for item in fields(kind)]


# --- validation --------------------------------------------------------------------------------------------


def _unknown(names: Sequence[str], known: Sequence[str], prefix: str, what: str) -> list[Problem]:
    problems = []
    for name in names:
        if name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(known)}"
        problems.append(Problem(f"{prefix}{name}", f"unknown {what} ({hint})"))
    return problems


def _section_problems(section: str, table: Any, kind: type) -> list[Problem]:
    if not isinstance(table, dict):
        return [Problem(section, f"must be a table ([{section}]), not {_shown(table)}")]
    problems = []
    for item in fields(kind):
        key = f"{section}.{item.name}"
        if item.name not in table:
            problems.append(Problem(key, "missing"))
            continue
        for suffix, reason in item.metadata["check"].problems(table[item.name]):
            problems.append(Problem(key + suffix, reason))
    known = [item.name for item in fields(kind)]
    return problems + _unknown(list(table), known, f"{section}.", "key")


def _consistency_problems(data: dict[str, Any], name: str, invalid: set[str]) -> list[Problem]:
    """Rules across keys, checked only where the keys involved are themselves valid."""
    problems = []
    if "meta.name" not in invalid and data["meta"]["name"] != name:
        problems.append(Problem("meta.name", f'must be the file name without .toml ("{name}")'))
    if not invalid & {"reflection.length_days", "reflection.minimum_days"}:
        minimum = data["reflection"]["minimum_days"]
        if data["reflection"]["length_days"] < minimum:
            problems.append(
                Problem("reflection.length_days", f"must be >= reflection.minimum_days ({minimum})")
            )
    return problems


def validate(data: dict[str, Any], *, name: str) -> list[Problem]:
    """Every problem of a parsed rulebook, in schema order; empty when it may be used."""
    problems: list[Problem] = []
    for section, kind in SECTIONS.items():
        if section not in data:
            problems.append(Problem(section, "missing section"))
        else:
            problems += _section_problems(section, data[section], kind)
    problems += _unknown(list(data), list(SECTIONS), "", "section")
    invalid = {problem.key.split("[")[0] for problem in problems}
    invalid |= {key for key in schema_keys() if key.split(".")[0] in invalid}
    return problems + _consistency_problems(data, name, invalid)


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
def load_rulebook(name: str | None = None) -> dict[str, Any]:
    """The rulebook `name` (default: the active one), validated, or RulebookError naming file, key, reason.

    Cached for the life of the process: restart to pick up an edited file. Treat the dict as read-only.
    """
    name = name or settings.PALERMO_RULEBOOK
    path = rulebook_path(name)
    data = _parse(path)
    problems = validate(data, name=name)
    if problems:
        shown = _display(path)
        lines = [f"{shown}: {problem.key}: {problem.reason}" for problem in problems]
        raise RulebookError("\n".join(lines), problems)
    return data


@receiver(setting_changed)
def _forget_loaded_rulebooks(*, setting: str, **kwargs: Any) -> None:
    # Tests switch rulebooks with override_settings; a cached default would otherwise outlive the switch.
    if setting in {"PALERMO_RULEBOOK", "RULEBOOK_DIR"}:
        load_rulebook.cache_clear()


def rule(dotted_key: str, *, rulebook: str | None = None) -> Any:
    """One value by its dotted key, e.g. rule("access.break_glass_hours")."""
    value: Any = load_rulebook(rulebook)
    for part in dotted_key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise RulebookError(f"rulebook {rulebook or settings.PALERMO_RULEBOOK}: missing key {dotted_key}")
        value = value[part]
    return value


def get_rulebook(name: str | None = None) -> Rulebook:
    """The rulebook as typed dataclasses (day kinds as DayKind, lists as tuples)."""
    data = load_rulebook(name)
    sections = {}
    for section, kind in SECTIONS.items():
        values = {
            item.name: item.metadata["check"].convert(data[section][item.name]) for item in fields(kind)
        }
        sections[section] = kind(**values)
    return Rulebook(**sections)


def check_active_rulebook(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check: refuse to start with an active rulebook that cannot be used."""
    try:
        load_rulebook()
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
    topic: str
    expect: Expect
    paper_says: str
    unit: str = ""
    form: str = ""


RECOMMENDATIONS: tuple[Recommendation, ...] = (
    Recommendation(
        "reflection.length_days",
        "reflection and recovery period granted",
        Expect.AT_LEAST,
        '"no less than three months" for every presumed victim (Residence Regimes (1))',
        unit="days",
    ),
    Recommendation(
        "reflection.minimum_days",
        "shortest reflection period allowed",
        Expect.AT_LEAST,
        '"a minimum 3-month reflection/recovery period" (Assistance, Points for Action)',
        unit="days",
    ),
    Recommendation(
        "residence.permit_minimum_months",
        "minimum validity of the temporary residence permit",
        Expect.AT_LEAST,
        '"valid for at least six months" (Residence Regimes (2))',
        unit="months",
    ),
    Recommendation(
        "residence.renewable",
        "is the permit renewable?",
        Expect.SAME,
        '"This permit should be renewable" (Residence Regimes (2))',
    ),
    Recommendation(
        "residence.permit_allows_work",
        "does the permit allow work?",
        Expect.SAME,
        '"allow the holder to work and study" (Residence Regimes (2))',
    ),
    Recommendation(
        "residence.permit_allows_study",
        "does the permit allow study?",
        Expect.SAME,
        '"allow the holder to work and study" (Residence Regimes (2))',
    ),
    Recommendation(
        "residence.status_may_depend_on_cooperation",
        "may residence status depend on co-operation with the authorities?",
        Expect.SAME,
        '"regardless of their willingness and/or ability to cooperate" '
        "(Residence Regimes (2); Principles 2, 4)",
    ),
    Recommendation(
        "children.age_threshold",
        "age under which a person is a child",
        Expect.AT_LEAST,
        '"a child, i.e. under 18" (Children, Identification)',
        unit="years",
    ),
    Recommendation(
        "children.presumption_of_minority",
        "is a person of uncertain age presumed to be a child?",
        Expect.SAME,
        '"Presumption of the age of the victim in cases of uncertainty" (Children, Identification)',
    ),
    Recommendation(
        "exploitation.recognised_forms",
        "is trafficking for labour exploitation recognised?",
        Expect.INCLUDES,
        '"give more focus on trafficking for labour exploitation" '
        "(Identification of all forms of exploitation)",
        form="ForcedLabour",
    ),
    Recommendation(
        "exploitation.recognised_forms",
        "are all forms of exploitation recognised?",
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
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit in {"days", "months"} and value == 0:
        return f"0 {unit} (none set)"
    return f"{value} {unit}".strip()


def _shortfall(item: Recommendation, paper: Any, book: Any) -> Shortfall | None:
    if item.expect is Expect.AT_LEAST:
        if book < paper:
            return Shortfall(item, f"at least {_words(paper, item.unit)}", _words(book, item.unit))
    elif item.expect is Expect.SAME:
        if book != paper:
            return Shortfall(item, _words(paper, item.unit), _words(book, item.unit))
    elif item.expect is Expect.INCLUDES:
        if item.form not in book:
            return Shortfall(item, f"{item.form} recognised", f"{item.form} not recognised")
    else:
        # Labour exploitation has its own point above; do not count it twice.
        missing = [form for form in paper if form not in book and form != "ForcedLabour"]
        if missing:
            return Shortfall(
                item, f"all {len(paper)} forms of {PAPER_RULEBOOK}", "missing " + ", ".join(missing)
            )
    return None


def shortfalls(name: str) -> list[Shortfall]:
    """Where rulebook `name` falls short of the position paper, in the paper's order; empty when it meets all.

    The paper's values are read from the osce-2005 rulebook, which encodes it.
    """
    found = []
    for item in RECOMMENDATIONS:
        gap = _shortfall(item, rule(item.key, rulebook=PAPER_RULEBOOK), rule(item.key, rulebook=name))
        if gap:
            found.append(gap)
    return found
