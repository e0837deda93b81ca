"""Text a person wrote keeps its own direction on a page of the other one (the `written` filters of
palermo/core/templatetags/bidi.py): they escape it, keep its line breaks and wrap it in the element app.css
gives the direction of its own first letter; no template shows written text past them. In Chromium:
tests/e2e/test_browser_phone_and_rtl.py."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

TEMPLATES = sorted((Path(settings.BASE_DIR) / "palermo").glob("**/templates/**/*.html"))
CSS = Path(settings.BASE_DIR) / "palermo/core/static/palermo/app.css"


def render(source: str, **context: object) -> str:
    return Template("{% load bidi %}" + source).render(Context(context))


def test_written_text_is_escaped_keeps_its_lines_and_takes_its_own_direction() -> None:
    html = render("{{ text|written }}", text="Came by bus <b>alone</b>.\nLeft in May.")
    assert html == ('<span class="app-written">Came by bus &lt;b&gt;alone&lt;/b&gt;.<br>Left in May.</span>')


def test_written_paragraphs_are_each_a_paragraph_of_the_element() -> None:
    html = render("{{ text|written_paragraphs }}", text="Safety first.\n\nThen work & study.")
    assert html == '<div class="app-written"><p>Safety first.</p>\n\n<p>Then work &amp; study.</p></div>'


def test_the_stylesheet_gives_written_text_its_own_direction() -> None:
    css = CSS.read_text(encoding="utf-8")
    rule = re.search(r"\.app-written,\s*\.app-written > p \{([^}]*)\}", css)
    assert rule and "unicode-bidi: plaintext" in rule.group(1)


def test_no_template_shows_written_text_past_the_filters() -> None:
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\|\s*linebreaks", line)
    ]
    assert not found, "show written text with |written or |written_paragraphs:\n" + "\n".join(found)
