"""Synthetic names for tests, in the scripts the platform must keep.

Tests assert that a name is *not* shown (in a page, a mail, a log line). A lone short name ("Mai", "An", "Lê")
can occur inside the page's own words ("Main", "An identity document"), and such a test would then fail by
chance. So every name here is a compound of two, as many cultures write names ("Mai Linh", "Nguyễn-Trần"):
it still looks like a name, and it cannot be found inside an interface word.

Names and their Latin spellings also carry no character that HTML escapes (an apostrophe from "O'Neil" or from
the Latin spelling of a Cyrillic soft sign): an escaped name is never found in a page, so a test that a name
*is* shown would fail by chance and a test that it is *not* shown could not fail.
"""

from __future__ import annotations

import functools
import itertools
import re

from faker import Faker
from unidecode import unidecode

# Latin, Cyrillic, Arabic, Greek, Georgian, Thai, Vietnamese, Chinese, Albanian.
LOCALES = ["ro_RO", "ru_RU", "ar_EG", "el_GR", "ka_GE", "th_TH", "vi_VN", "zh_CN", "sq_AL", "uk_UA", "en_GB"]
fake = Faker(LOCALES)
_turn = itertools.count()


def synthetic_name(locale: str | None = None) -> tuple[str, str]:
    """(given names, family names) in one locale's script, taking each locale in turn unless one is named."""
    local = _faker(locale or LOCALES[next(_turn) % len(LOCALES)])
    given = f"{local.first_name()} {local.first_name()}"
    family = f"{local.last_name()}-{local.last_name()}"
    return _unescaped(given), _unescaped(family)


def latin(text: str) -> str:
    """The Latin spelling of a synthetic name, as a passport would print it (no apostrophes)."""
    return _unescaped(unidecode(text)).strip()


def _unescaped(text: str) -> str:
    return re.sub(r"[\'\"`&<>]", "", text)


@functools.cache
def _faker(locale: str) -> Faker:
    return fake[locale] if locale in LOCALES else Faker(locale)
