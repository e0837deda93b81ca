"""What each kind of in-app notice says (docs/decisions/0033). Areas register their kinds at import; the words
are lazy, rendered in the reader's language with the case reference only."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext

from palermo.accounts.models import Notice

KINDS: dict[str, Promise] = {}


def notice_kind(kind: str, text: Promise) -> str:
    """Register what a notice of `kind` says (lazy text with `%(reference)s`); areas call this at import."""
    KINDS[kind] = text
    return kind


def notice_text(notice: Notice) -> str:
    """The notice's words in the current language."""
    text = KINDS.get(notice.kind)
    if text is None:
        return gettext("Something changed on case %(reference)s.") % {"reference": notice.reference}
    return str(text) % {"reference": notice.reference}
