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


def typed_text_fields() -> set[str]:
    """The names of the text fields people type into (every TextField of the project's models without
    choices: reasons, notes, views, findings...)."""
    from django.apps import apps
    from django.db import models

    return {
        field.name
        for model in apps.get_models()
        if model.__module__.startswith("palermo.")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not field.choices
    }


# A typed text's field shown bare ({{ decision.child_views }}), neither through a written filter nor isolated.
def _bare(fields: set[str]) -> re.Pattern[str]:
    return re.compile(r"(<bdi[^>]*>)?\{\{\s*[\w.]+\.(" + "|".join(sorted(fields)) + r")\s*\}\}")


# Not shown as text: a form's hidden input keeps the reason typed on the page before (lead_confirm.html); an
# import's problems are the system's own sentences (import.html).
NOT_SHOWN_TEXT = {"form.cleaned_data.reason", "problem.reason"}


def test_no_template_shows_a_typed_text_field_bare() -> None:
    bare = _bare(typed_text_fields())
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {match.group(0)}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in bare.finditer(line)
        if not match.group(1) and match.group(0).strip("{} ") not in NOT_SHOWN_TEXT
    ]
    assert not found, "show typed text with |written (or in <bdi>):\n" + "\n".join(found)
