"""Dates are said in words in the reader's language ("7 December 2026", GOV.UK's style; "7 décembre 2026"),
through Django's localised formats (settings' FORMAT_MODULE_PATH, palermo/formats): the one way every page
shows a day. What a machine reads keeps ISO 8601: a `<time datetime>` attribute, the API, exports."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from freezegun import freeze_time

import palermo
from palermo.core.text import argument_for_reader

TEMPLATES = sorted(Path(palermo.__file__).parent.glob("**/templates/**/*.html"))
DATE_FILTER = re.compile(r"\|date:([\"'])(.*?)\1")
# What a reader is shown: a day, a day and time, or a month in the language's words, or a time of day.
IN_WORDS = {"DATE_FORMAT", "DATETIME_FORMAT", "YEAR_MONTH_FORMAT", "H:i", "H:i:s"}
# An attribute's value: the machine-readable forms, for <time datetime="..."> and the like.
IN_ATTRIBUTE = re.compile(r"[\w-]+=[\"']\{\{[^}]*$")


def test_the_templates_show_days_only_in_words_and_keep_iso_for_attributes() -> None:
    assert len(TEMPLATES) > 100
    written = []
    for path in TEMPLATES:
        text = path.read_text()
        for found in DATE_FILTER.finditer(text):
            shown = not IN_ATTRIBUTE.search(text[max(0, found.start() - 200) : found.start()])
            if shown and found[2] not in IN_WORDS:
                written.append(f"{path.relative_to(Path(palermo.__file__).parent)}: {found[0]}")
    assert written == []


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "7 December 2026", "7 December 2026, 14:05"),
        ("fr", "7 décembre 2026", "7 décembre 2026 14:05"),
        ("ar", "7 ديسمبر، 2026", "7 ديسمبر، 2026، 14:05"),
        ("ti", "7 December 2026", "7 December 2026, 14:05"),  # no Django formats: the project's own
    ],
)
def test_each_language_says_a_day_in_its_words(language: str, day: str, moment: str) -> None:
    with translation.override(language):
        assert date_format(datetime.date(2026, 12, 7)) == day
        at = datetime.datetime(2026, 12, 7, 14, 5, tzinfo=datetime.UTC)
        assert date_format(at, "DATETIME_FORMAT") == moment


def test_a_stored_day_is_read_in_words_and_other_arguments_are_translated() -> None:
    with translation.override("fr"):
        assert argument_for_reader("2027-03-07") == "7 mars 2027"
        assert argument_for_reader("2027-02-30") == "2027-02-30"  # not a day: as it was written
        assert argument_for_reader("Active") == translation.gettext("Active")


@pytest.mark.django_db
@freeze_time("2026-12-07 09:00")
def test_the_home_page_says_today_in_words_in_the_readers_language(client_for, manager) -> None:  # type: ignore[no-untyped-def]
    client = client_for(manager)
    english = client.get(reverse("core:home")).content.decode()
    assert "Today is 7 December 2026." in english and "2026-12-07" not in english
    arabic = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "ديسمبر" in arabic and "December" not in arabic
