"""The staff interface's catalogues in every staff language (settings.STAFF_LANGUAGES: the project's, and any
an area keeps in its own locale/ directory): complete, not fuzzy, with the plural forms their header declares,
and each committed .mo compiled from the current .po.

The .po is read with a small parser (no gettext tools needed); the .mo with the standard library.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from palermo.accounts.roles import Role
from palermo.cases.models import Phase
from palermo.cases.reference import CaseStatus
from palermo.deadlines.selectors import Status as DeadlineStatus

LOCALE_DIR = Path(settings.BASE_DIR) / "palermo" / "locale"
TRANSLATED = [code for code in settings.STAFF_LANGUAGES if code != "en"]
PROJECT_PO_PATHS = [LOCALE_DIR / code / "LC_MESSAGES" / "django.po" for code in TRANSLATED]
PO_PATHS = sorted(
    path
    for code in TRANSLATED
    for path in (Path(settings.BASE_DIR) / "palermo").glob(f"**/locale/{code}/LC_MESSAGES/django.po")
)
ARABIC_PLURAL_FORMS = 6
PLURAL_FORMS = re.compile(r"nplurals=(\d+);")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid[:60]!r}"


def _unquote(text: str) -> str:
    """A PO string literal's content, with its C escapes resolved."""
    body = text.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda match: escapes.get(match.group(1), match.group(0)), body)


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """The header entry and the messages; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if target is not None:
            entries.append(current)
        current, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if target is not None:
                finish()
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation outside an entry"
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, kind, (getattr(current, kind) or "") + _unquote(line))
        else:
            keyword, _, value = line.partition(" ")
            if keyword in {"msgctxt", "msgid"} and target is not None and target[0] == "msgstr":
                finish()
            if not current.line:
                current.line = number
            plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgstr" or plural_form:
                index = int(plural_form.group(1)) if plural_form else 0
                current.msgstr[index] = _unquote(value)
                target = ("msgstr", index)
            elif keyword in {"msgid", "msgid_plural", "msgctxt"}:
                setattr(current, keyword, _unquote(value))
                target = (keyword, 0)
            else:
                raise AssertionError(f"{path}:{number}: unexpected {keyword!r}")
    finish()
    header = next(entry for entry in entries if entry.msgid == "" and entry.msgctxt is None)
    return header, [entry for entry in entries if entry is not header]


def _shown(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


@pytest.fixture(scope="module", params=PO_PATHS, ids=_shown)
def po_path(request: pytest.FixtureRequest) -> Path:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def catalogue(po_path: Path) -> tuple[Entry, list[Entry]]:
    return parse_po(po_path)


@pytest.fixture(scope="module")
def compiled(po_path: Path) -> gettext.GNUTranslations:
    with po_path.with_suffix(".mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_every_staff_language_has_its_project_catalogue_checked() -> None:
    assert "ar" in TRANSLATED
    assert set(PROJECT_PO_PATHS) <= set(PO_PATHS)


def _plural_forms(header: Entry) -> int:
    declared = PLURAL_FORMS.search(header.msgstr[0])
    assert declared, "the header declares no Plural-Forms"
    return int(declared.group(1))


def test_every_message_is_translated_and_none_is_fuzzy(
    po_path: Path, catalogue: tuple[Entry, list[Entry]]
) -> None:
    header, messages = catalogue
    if po_path in PROJECT_PO_PATHS:
        assert len(messages) > 100, "the catalogue lost most of its messages"
    assert "fuzzy" not in header.flags
    plurals = _plural_forms(header)
    if "/ar/" in str(po_path):
        assert plurals == ARABIC_PLURAL_FORMS
    problems = []
    for entry in messages:
        expected_forms = plurals if entry.msgid_plural is not None else 1
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.label} is fuzzy")
        if sorted(entry.msgstr) != list(range(expected_forms)):
            problems.append(f"{entry.label} has forms {sorted(entry.msgstr)}, expected {expected_forms}")
        if not all(text.strip() for text in entry.msgstr.values()):
            problems.append(f"{entry.label} is not translated")
    assert not problems, "\n".join(problems)


def test_translations_use_only_the_placeholders_of_their_message(
    catalogue: tuple[Entry, list[Entry]],
) -> None:
    """A name the source does not pass would raise KeyError when the page renders in that language."""
    problems = []
    for entry in catalogue[1]:
        known = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for index, text in entry.msgstr.items():
            if unknown := set(PLACEHOLDER.findall(text)) - known:
                problems.append(f"{entry.label} msgstr[{index}] uses {sorted(unknown)}")
    assert not problems, "\n".join(problems)


def test_the_mo_is_compiled_from_the_current_po(
    catalogue: tuple[Entry, list[Entry]], compiled: gettext.GNUTranslations
) -> None:
    # CPython keeps the compiled messages in _catalog, keyed by msgid (or "context\x04msgid") for a
    # singular message and by (msgid, form) for each plural form; "" is the header.
    in_mo = {key: text for key, text in compiled._catalog.items() if key != ""}  # type: ignore[attr-defined]
    in_po = {}
    for entry in catalogue[1]:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural is None:
            in_po[key] = entry.msgstr[0]
        else:
            in_po.update({(key, form): text for form, text in entry.msgstr.items()})
    stale = sorted(str(key)[:60] for key in in_mo.keys() ^ in_po.keys())
    stale += sorted(str(key)[:60] for key in in_mo.keys() & in_po.keys() if in_mo[key] != in_po[key])
    assert not stale, (
        "django.mo is not compiled from django.po (run `make messages`, commit both):\n" + "\n".join(stale)
    )


def test_django_serves_the_arabic_catalogue() -> None:
    with translation.override("ar"):
        assert str(Role.SYSTEM_ADMINISTRATOR.label) == "مسؤول النظام"
        assert translation.get_language_bidi()
    with translation.override("en"):
        assert str(Role.SYSTEM_ADMINISTRATOR.label) == "System administrator"


@pytest.mark.parametrize("code", TRANSLATED)
def test_django_serves_every_staff_language(code: str) -> None:
    with translation.override(code):
        assert str(Role.SYSTEM_ADMINISTRATOR.label) != "System administrator"
        assert translation.get_language_bidi() == (code in {"ar", "fa", "ur"})


def test_one_english_word_takes_its_translation_from_its_context() -> None:
    """Short words serve several senses (msgctxt): "Open" is a deadline status and a button; "Closed" a case
    status and a case phase. English stays the same; French tells them apart."""
    button = Template('{% load i18n %}{% translate "Open" context "button" %}')
    with translation.override("fr"):
        assert button.render(Context()) == "Ouvrir"
        assert str(DeadlineStatus.OPEN.label) == "Ouvertes"
        assert (str(CaseStatus.CLOSED.label), str(Phase.CLOSED.label)) == ("Clôturé", "Clôture")
    with translation.override("en"):
        assert button.render(Context()) == str(DeadlineStatus.OPEN.label) == "Open"
        assert str(CaseStatus.CLOSED.label) == str(Phase.CLOSED.label) == "Closed"
