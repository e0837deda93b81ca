"""Lists in the reader's language (palermo.core.lists, the `lists` template library): the separator comes
from the catalogue, so Arabic reads "أ، ب" and not a Latin comma; what is joined is escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from palermo.core.lists import listed
from palermo.exchange.services import _messages

TEMPLATES = sorted((Path(settings.BASE_DIR) / "palermo").glob("**/templates/**/*.html"))


@pytest.mark.parametrize(
    ("language", "words", "phrases"),
    [("en", "a, b, c", "a; b; c"), ("ar", "a، b، c", "a؛ b؛ c"), ("fr", "a, b, c", "a\u202f; b\u202f; c")],
)
def test_a_list_is_joined_as_its_language_joins_it(language: str, words: str, phrases: str) -> None:
    with translation.override(language):
        assert listed(["a", "b", "c"]) == words
        assert listed(["a", "b", "c"], phrases=True) == phrases


def test_the_portal_s_languages_have_their_own_separators() -> None:
    for language, comma in (("fa", "، "), ("ur", "، "), ("ti", "፣ "), ("vi", ", ")):
        with translation.override(language):
            assert listed(["x", "y"]) == f"x{comma}y"


def test_the_template_library_escapes_what_it_joins() -> None:
    template = Template(
        "{% load lists %}{{ words|listed }}|{{ words|listed_phrases }}|"
        "{% for w in words %}<b>{{ w }}</b>{% if not forloop.last %}{% list_separator %}{% endif %}"
        "{% endfor %}"
    )
    with translation.override("ar"):
        shown = template.render(Context({"words": ["<i>", "b"]}))
    assert shown == "&lt;i&gt;، b|&lt;i&gt;؛ b|<b>&lt;i&gt;</b>، <b>b</b>"


def test_an_empty_list_is_empty_so_a_default_can_show() -> None:
    assert Template('{% load lists %}{{ words|listed|default:"—" }}').render(Context({"words": []})) == "—"


def test_the_import_report_joins_a_row_s_problems_as_phrases() -> None:
    from django.core.exceptions import ValidationError

    with translation.override("ar"):
        assert _messages(ValidationError(["one", "two"])) == "one؛ two"


def test_no_template_joins_words_with_a_latin_comma() -> None:
    latin = re.compile(r'\|join:"[,;] "|forloop\.last %\}[,;] \{%')
    joined = [str(path) for path in TEMPLATES if latin.search(path.read_text(encoding="utf-8"))]
    assert joined == []
