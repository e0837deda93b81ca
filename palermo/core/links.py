"""Links that leave the system by email: full addresses built from the configured site address
(PALERMO_SITE_URL), and single-use tokens of which only a hash is kept (docs/decisions/0032)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext


def site_url(path: str) -> str:
    """The full address of a path of this site, for an email: PALERMO_SITE_URL and the path. An email is
    read outside any request, so the address cannot come from one (nor from a Host header someone sets)."""
    base = str(getattr(settings, "PALERMO_SITE_URL", "") or "").rstrip("/")
    if not base:
        raise ImproperlyConfigured(
            "PALERMO_SITE_URL is not set: emails cannot carry links (docs/configuration.md)"
        )
    return f"{base}/{path.lstrip('/')}"


def new_token() -> str:
    """A random token for a link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What is stored of a token: its SHA-256 (a token is random, so no key or salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_to(url_name: str, *args: object) -> str:
    """The full address of a named page, for an email: `link_to("cases:detail", reference)`."""
    return site_url(reverse(url_name, args=args))


def open_it(url_name: str, *args: object) -> str:
    """An email's line with the full link to a named page."""
    return gettext("Open it in Palermo: %(link)s") % {"link": link_to(url_name, *args)}
