"""A page with a form for each of its records (a hearing's, a claim's, a measure's) must show a refused form's
errors in that form, posting to that record, never in another's place. `assert_each_form_refused_in_place`
sends every form of a page empty (its hidden fields only), each in a savepoint rolled back after it, and
checks where the error summary comes back."""

from __future__ import annotations

import re
from html import unescape

from django.db import transaction
from django.test import Client

from tests.core.test_form_errors import POST_FORM, SHELL_ACTIONS, SUMMARY

ACTION = re.compile(r'action="([^"]*)"')
HIDDEN = re.compile(r'<input\b[^>]*type="hidden"[^>]*>')


def page_forms(page: str) -> list[tuple[str, dict[str, str]]]:
    """Every form the page posts, with what it sends untouched (its hidden fields)."""
    found = []
    for match in POST_FORM.finditer(page):
        action = ACTION.search(match["attrs"])
        if 'method="post"' not in match["attrs"] or not action or action[1].startswith(SHELL_ACTIONS):
            continue
        data = {}
        for tag in HIDDEN.findall(match["body"]):
            name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
            if name and name[1] != "csrfmiddlewaretoken":
                data[name[1]] = unescape(value[1]) if value else ""
        found.append((unescape(action[1]), data))
    return found


def form_holding_summary(body: str) -> str | None:
    """Where the form around the error summary posts (or, for a summary above its form, the next form's)."""
    summary = SUMMARY.search(body)
    if summary is None:
        return None
    before = body[: summary.start()]
    opened, closed = before.rfind("<form"), before.rfind("</form>")
    start = opened if opened > closed else body.find("<form", summary.end())
    action = ACTION.search(body, start)
    return unescape(action[1]) if action else None


def assert_each_form_refused_in_place(client: Client, url: str) -> int:
    """Send each form of the page at `url` empty; a refusal's summary must stand in the form sent. Returns
    how many forms refused (a form that takes an empty answer, such as a confirmation, is let through and
    rolled back)."""
    page = client.get(url)
    assert page.status_code == 200, url
    refused = 0
    for action, data in page_forms(page.content.decode()):
        with transaction.atomic():
            response = client.post(action, data)
            transaction.set_rollback(True)
        if response.status_code in {302, 303}:
            continue
        assert response.status_code in {200, 400}, (action, response.status_code)
        assert form_holding_summary(response.content.decode()) == action, f"{url}: {action} refused elsewhere"
        refused += 1
    return refused
