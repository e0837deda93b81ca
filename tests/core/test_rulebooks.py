"""Rulebooks: every shipped file validates, the default encodes the position paper, and each kind of bad file
is refused with the file, the key and the reason."""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from palermo.cases.reference import ExploitationForm
from palermo.core import rulebooks
from palermo.core.rulebooks import DayKind, RulebookError, rulebook, schema_keys

REPO = Path(__file__).resolve().parents[2]
SHIPPED_DIR = REPO / "rulebooks"
SHIPPED = sorted(path.stem for path in SHIPPED_DIR.glob("*.toml"))
NATIONAL = [name for name in SHIPPED if name not in {"osce-2005", "coe-cets197"}]
START = datetime.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    rulebook.cache_clear()
    yield
    rulebook.cache_clear()


def to_toml(data: dict[str, Any]) -> str:
    """Enough of a TOML writer for a rulebook: tables of scalars, dates and lists of text."""

    def value(item: Any) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, (datetime.date, int)):
            return item.isoformat() if isinstance(item, datetime.date) else str(item)
        if isinstance(item, list):
            return "[" + ", ".join(value(element) for element in item) + "]"
        if isinstance(item, dict):
            return "{" + ", ".join(f"{key} = {value(element)}" for key, element in item.items()) + "}"
        return json.dumps(item)

    # Top-level values (a section written as a plain value) must come before the first table.
    lines = [f"{key} = {value(item)}" for key, item in data.items() if not isinstance(item, dict)]
    for section, table in data.items():
        if isinstance(table, dict):
            lines.append(f"[{section}]")
            lines += [f"{key} = {value(item)}" for key, item in table.items()]
    return "\n".join(lines) + "\n"


def paper() -> dict[str, Any]:
    return tomllib.loads((SHIPPED_DIR / "osce-2005.toml").read_text(encoding="utf-8"))


@pytest.fixture
def write_rulebook(tmp_path: Path, settings: Any) -> Callable[..., Path]:
    """Write a rulebook into a temporary RULEBOOK_DIR: a dict (rendered as TOML) or raw text or bytes."""
    settings.RULEBOOK_DIR = tmp_path

    def write(name: str, content: dict[str, Any] | str | bytes) -> Path:
        path = tmp_path / f"{name}.toml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else to_toml(content), encoding="utf-8")
        return path

    return write


def variant(change: Callable[[dict[str, Any]], None], *, name: str = "xx") -> dict[str, Any]:
    data = paper()
    data["meta"]["name"] = name
    change(data)
    return data


def refusal(write_rulebook: Callable[..., Path], content: dict[str, Any] | str | bytes) -> RulebookError:
    path = write_rulebook("xx", content)
    with pytest.raises(RulebookError) as caught:
        rulebook("xx")
    assert str(caught.value).startswith(f"{path}: "), "the message names the file"
    return caught.value


# --- shipped rulebooks -------------------------------------------------------------------------------------


def test_the_shipped_set_has_the_paper_the_convention_and_three_national_examples() -> None:
    assert {"osce-2005", "coe-cets197"} <= set(SHIPPED)
    assert len(NATIONAL) >= 3


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_rulebook_loads_and_validates(name: str) -> None:
    parsed = tomllib.loads((SHIPPED_DIR / f"{name}.toml").read_text(encoding="utf-8"))
    assert rulebooks.validate(parsed, name=name)[1] == []
    typed = rulebook(name)
    assert typed.meta.name == name
    assert not typed.reflection.length.shorter_than(typed.reflection.minimum)
    assert typed.meta.sources


@pytest.mark.parametrize("name", NATIONAL)
def test_national_rulebooks_cite_numbered_legal_sources(name: str) -> None:
    sources = rulebook(name).meta.sources
    assert len(sources) >= 3
    assert all(re.search(r"\d", source) for source in sources), "every source carries an article number"


def test_the_default_rulebook_is_the_position_paper(settings: Any) -> None:
    assert settings.PALERMO_RULEBOOK == "osce-2005"
    assert rulebook() is rulebook()
    assert rulebook().meta.name == "osce-2005"


def test_osce_2005_holds_the_papers_figures() -> None:
    book = rulebook("osce-2005")
    # "no less than three months": calendar months, not 90 days
    assert (book.reflection.length.months, book.reflection.minimum.months) == (3, 3)
    assert book.reflection.length.days is None
    assert book.residence.permit_minimum_months == 6
    assert (
        book.residence.renewable and book.residence.permit_allows_work and book.residence.permit_allows_study
    )
    assert book.residence.status_may_depend_on_cooperation is False
    assert book.children.age_threshold == 18
    assert book.children.presumption_of_minority is True
    assert set(book.exploitation.recognised_forms) == {form.value for form in ExploitationForm}


def test_coe_cets197_holds_the_convention_minimums() -> None:
    book = rulebook("coe-cets197")
    assert (book.reflection.length.days, book.reflection.minimum.days) == (30, 30)  # art. 13(1)
    # Art. 13 neither provides nor forbids an extension: the State decides, so it is not refused.
    assert book.reflection.extension is rulebooks.Extension.STATE_DECIDES
    assert book.reflection.extendable is True
    assert book.residence.renewable is True  # art. 14(1)
    assert book.residence.status_may_depend_on_cooperation is True  # art. 14(1)(b)
    assert book.children.presumption_of_minority is True  # art. 10(3)
    assert book.children.age_threshold == 18  # art. 4(d)
    assert {"ForcedLabour", "SexualExploitation", "Servitude", "OrganRemoval"} == set(
        book.exploitation.recognised_forms
    )


def test_the_typed_view_converts_day_kinds_dates_and_lists() -> None:
    book = rulebook("gb-msa2015")
    assert book.decisions.presumed_victim_day_kind is DayKind.WORKING
    assert book.decisions.identified_victim_day_kind is DayKind.CALENDAR
    assert isinstance(book.meta.valid_from, datetime.date)
    assert isinstance(book.exploitation.recognised_forms, tuple)


def test_values_are_read_by_attribute_and_cannot_be_changed() -> None:
    assert rulebook("coe-cets197").reflection.length.days == 30
    assert rulebook().access.break_glass_hours == 4
    with pytest.raises(ValidationError, match="frozen"):
        rulebook().reflection.length = rulebook().reflection.minimum  # type: ignore[misc]


def test_switching_the_active_rulebook_is_seen_at_once(settings: Any) -> None:
    assert rulebook().reflection.length.months == 3
    settings.PALERMO_RULEBOOK = "coe-cets197"
    assert rulebook().reflection.length.days == 30


def test_a_loaded_rulebook_is_cached_until_the_cache_is_cleared(write_rulebook: Callable[..., Path]) -> None:
    write_rulebook("xx", variant(lambda data: None))
    assert rulebook("xx").reflection.length.months == 3
    write_rulebook("xx", variant(lambda data: data["reflection"].update(length={"months": 4})))
    assert rulebook("xx").reflection.length.months == 3
    rulebook.cache_clear()
    assert rulebook("xx").reflection.length.months == 4


# --- refused files -----------------------------------------------------------------------------------------


def _set(section: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data[section].__setitem__(key, value)


def _drop(section: str, key: str | None = None) -> Callable[[dict[str, Any]], None]:
    return lambda data: data[section].pop(key) if key else data.pop(section)


REFUSALS = [
    # (what is wrong, change, key named, reason given)
    ("missing key", _drop("reflection", "minimum"), "reflection.minimum", "missing"),
    ("missing section", _drop("referrals"), "referrals", "missing section"),
    (
        "text for an integer",
        _set("reflection", "minimum", {"months": "3"}),
        "reflection.minimum.months",
        "must be an integer",
    ),
    (
        "boolean for an integer",
        _set("access", "break_glass_hours", True),
        "access.break_glass_hours",
        "must be an integer",
    ),
    (
        "integer for a boolean",
        _set("residence", "renewable", 1),
        "residence.renewable",
        "must be true or false",
    ),
    (
        "below the bound",
        _set("decisions", "presumed_victim_days", -5),
        "decisions.presumed_victim_days",
        "must be an integer >= 1",
    ),
    ("above the bound", _set("children", "age_threshold", 30), "children.age_threshold", "<= 21"),
    ("zero deadline", _set("decisions", "presumed_victim_days", 0), "decisions.presumed_victim_days", ">= 1"),
    ("no break-glass", _set("access", "break_glass_hours", 0), "access.break_glass_hours", ">= 1"),
    (
        "unknown day kind",
        _set("decisions", "presumed_victim_day_kind", "business"),
        "decisions.presumed_victim_day_kind",
        "must be 'calendar' or 'working', not \"business\"",
    ),
    ("text for a date", _set("meta", "valid_from", "2005"), "meta.valid_from", "must be a date"),
    (
        "a date-time for a date",
        _set("meta", "valid_from", datetime.datetime(2005, 1, 1, tzinfo=datetime.UTC)),
        "meta.valid_from",
        "no time",
    ),
    ("empty title", _set("meta", "title", "  "), "meta.title", "non-empty text"),
    ("empty source list", _set("meta", "sources", []), "meta.sources", "non-empty list"),
    ("empty source", _set("meta", "sources", ["art. 1", ""]), "meta.sources[1]", "non-empty text"),
    (
        "unknown key",
        _set("reflection", "minimun", {"days": 90}),
        "reflection.minimun",
        "unknown key (did you mean minimum?)",
    ),
    (
        "unknown section",
        lambda data: data.__setitem__("reflexion", {"length": {"days": 90}}),
        "reflexion",
        "unknown section (did you mean reflection?)",
    ),
    (
        "a section that is not a table",
        lambda data: data.__setitem__("access", 4),
        "access",
        "must be a table",
    ),
    (
        "unknown exploitation form",
        _set("exploitation", "recognised_forms", ["SexualExploitation", "ForcedLabor"]),
        "exploitation.recognised_forms[1]",
        'unknown exploitation form "ForcedLabor" (did you mean "ForcedLabour"?)',
    ),
    (
        "a form listed twice",
        _set("exploitation", "recognised_forms", ["Other", "Other"]),
        "exploitation.recognised_forms",
        '"Other" is listed twice',
    ),
    (
        "no forms",
        _set("exploitation", "recognised_forms", []),
        "exploitation.recognised_forms",
        "non-empty list",
    ),
    (
        "length below the minimum",
        _set("reflection", "length", {"days": 90}),
        "reflection.length",
        "must be at least reflection.minimum (3 months) from every start day",
    ),
    (
        "a period in both units",
        _set("reflection", "minimum", {"months": 3, "days": 90}),
        "reflection.minimum",
        "must give exactly one of days or months",
    ),
    (
        "a period in no unit",
        _set("reflection", "minimum", {}),
        "reflection.minimum",
        "must give exactly one of days or months",
    ),
    (
        "a number for a period",
        _set("reflection", "length", 90),
        "reflection.length",
        "must be a table such as {months = 3} or {days = 30}, not 90",
    ),
    (
        "unknown extension",
        _set("reflection", "extension", True),
        "reflection.extension",
        "must be 'yes', 'no' or 'state-decides'",
    ),
    (
        "a yearly holiday that is no day",
        _set("calendar", "yearly_holidays", ["12-25", "02-30"]),
        "calendar.yearly_holidays[1]",
        '"02-30" is not a day of the year',
    ),
    (
        "a yearly holiday not written MM-DD",
        _set("calendar", "yearly_holidays", ["25/12"]),
        "calendar.yearly_holidays[0]",
        "must be a month and day written MM-DD",
    ),
    (
        "a holiday listed twice",
        _set("calendar", "public_holidays", [datetime.date(2026, 12, 25), datetime.date(2026, 12, 25)]),
        "calendar.public_holidays",
        "is listed twice",
    ),
    (
        "an unverified key that is no key",
        _set("meta", "unverified", ["reflection.lenght"]),
        "meta.unverified",
        '"reflection.lenght" is not a rulebook key (did you mean reflection.length?)',
    ),
    (
        "name not the file's",
        _set("meta", "name", "osce-2005"),
        "meta.name",
        'must be the file name without .toml ("xx")',
    ),
    ("name with capitals", _set("meta", "name", "XX"), "meta.name", "lower-case letters and digits"),
]


@pytest.mark.parametrize(
    ("change", "key", "reason"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_a_bad_file_is_refused_naming_the_key_and_the_reason(
    write_rulebook: Callable[..., Path], change: Callable[[dict[str, Any]], None], key: str, reason: str
) -> None:
    error = refusal(write_rulebook, variant(change))
    assert f": {key}: " in str(error)
    assert reason in str(error)
    assert key in [problem.key for problem in error.problems]


def test_every_problem_is_reported_at_once_one_per_line(write_rulebook: Callable[..., Path]) -> None:
    def three_problems(data: dict[str, Any]) -> None:
        data["decisions"]["review_days"] = -1
        data["children"]["presumption_of_minority"] = "yes"
        data["referrals"]["respons_days"] = 3

    error = refusal(write_rulebook, variant(three_problems))
    assert [problem.key for problem in error.problems] == [
        "decisions.review_days",
        "children.presumption_of_minority",
        "referrals.respons_days",
    ]
    assert len(str(error).splitlines()) == 3


def test_the_example_message_reads_as_documented(write_rulebook: Callable[..., Path]) -> None:
    path = write_rulebook("xx", variant(_set("reflection", "minimum", {"days": -5})))
    with pytest.raises(RulebookError) as caught:
        rulebook("xx")
    assert str(caught.value) == f"{path}: reflection.minimum.days: must be >= 0, not -5"


def test_broken_toml_is_refused_with_its_line(write_rulebook: Callable[..., Path]) -> None:
    text = (
        (SHIPPED_DIR / "osce-2005.toml")
        .read_text(encoding="utf-8")
        .replace("minimum = {months = 3}", "minimum =")
    )
    error = refusal(write_rulebook, text)
    assert "not valid TOML" in str(error)
    assert "line" in str(error)


def test_a_file_that_is_not_utf8_is_refused(write_rulebook: Callable[..., Path]) -> None:
    assert "not UTF-8" in str(refusal(write_rulebook, b'[meta]\nname = "\xff"\n'))


def test_a_missing_rulebook_is_named_relative_to_the_project() -> None:
    with pytest.raises(RulebookError, match=r"^rulebooks/nowhere\.toml: no such rulebook$"):
        rulebook("nowhere")


@pytest.mark.parametrize("name", ["../settings", "osce-2005/../x", "Osce-2005", ""])
def test_a_name_cannot_reach_outside_the_rulebook_directory(settings: Any, name: str) -> None:
    settings.PALERMO_RULEBOOK = "osce-2005"
    with pytest.raises(RulebookError, match="not a rulebook name"):
        rulebooks.rulebook_path(name)
    if name:
        with pytest.raises(RulebookError, match="not a rulebook name"):
            rulebook(name)


# --- documentation -----------------------------------------------------------------------------------------


def test_every_key_is_documented_under_its_section() -> None:
    docs = (REPO / "docs" / "rulebooks.md").read_text(encoding="utf-8")
    sections = re.split(r"^### ", docs, flags=re.MULTILINE)
    for dotted in schema_keys():
        section, key = dotted.split(".")
        part = next((text for text in sections if text.startswith(f"`[{section}]`")), "")
        assert f"| `{key}` |" in part, f"{dotted} is not documented in docs/rulebooks.md"


def test_the_documented_forms_and_rulebooks_are_the_real_ones() -> None:
    docs = (REPO / "docs" / "rulebooks.md").read_text(encoding="utf-8")
    for form in ExploitationForm:
        assert f"`{form.value}`" in docs
    for name in SHIPPED:
        assert f"`{name}`" in docs


# --- the forms of exploitation come from the case record, which registers them -----------------------------


def test_the_forms_are_checked_against_those_the_case_record_registered(monkeypatch: Any) -> None:
    assert set(rulebooks._exploitation_forms) == {form.value for form in ExploitationForm}
    monkeypatch.setattr(rulebooks, "_exploitation_forms", ["ForcedLabour"])
    with pytest.raises(RulebookError, match=r'recognised_forms\[1\]: unknown exploitation form "Sexual'):
        rulebook("osce-2005")
