"""The public pages: open to anyone, signed in or not, and recording nothing about who reads them.

Each is in the language of its path (/help/<lang>/...), sets no cookie, loads nothing from another site, and
reads without script (docs/portal.md). The self-check's answers are posted (never in a URL, so never in the
browser's history or an access log), answered and forgotten. A contact request is the one thing kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.views.decorators.http import require_GET, require_http_methods

from palermo.access import limits
from palermo.access.declare import public
from palermo.core.rulebooks import rulebook
from palermo.core.web import errors_into
from palermo.portal import content
from palermo.portal.forms import ContactForm, form_token, language_choices
from palermo.portal.selectors import contact_regions, help_by_region
from palermo.portal.services import contact_request_leave
from palermo.portal.web import exit_url, public_page


def _context(lang: str, page: str, **extra: object) -> dict[str, object]:
    return {
        "lang": lang,
        "page": page,
        "view_name": f"portal:{page}",
        "bidi": get_language_info(lang)["bidi"],
        "exit_url": exit_url(),
        "languages": language_choices(),
        **extra,
    }


@public
@require_GET
def portal_root(request: HttpRequest) -> HttpResponse:
    """/help/: the portal in the browser's language if it is a public one, else English."""
    lang = translation.get_language_from_request(request, check_path=False)
    chosen = next((code for code in settings.PUBLIC_LANGUAGES if code == lang.split("-")[0]), "en")
    response = HttpResponseRedirect(reverse("portal:home", args=[chosen]))
    response["Cache-Control"] = "no-store"
    return response


def _plain(page: str) -> Callable[..., HttpResponse]:
    """A public page with nothing but its words: portal/public/<page>.html."""

    @require_GET
    def view(request: HttpRequest, lang: str) -> HttpResponse:
        return render(request, f"portal/public/{page}.html", _context(lang, page))

    return public_page(view)


home = _plain("home")
next_steps = _plain("next")


@public_page
@require_GET
def rights(request: HttpRequest, lang: str) -> HttpResponse:
    return render(
        request, "portal/public/rights.html", _context(lang, "rights", rights=content.rights(rulebook()))
    )


@public_page
@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest, lang: str) -> HttpResponse:
    """The statements; posted, the answer (how many were ticked decides only which words are shown)."""
    ticked = (
        {key for key in request.POST.getlist("s") if key in content.STATEMENT_KEYS}
        if request.method == "POST"
        else set()
    )
    context = _context(
        lang, "check", groups=content.SELF_CHECK, answered=request.method == "POST", ticked=ticked
    )
    return render(request, "portal/public/check.html", context)


@public_page
@require_GET
def get_help(request: HttpRequest, lang: str) -> HttpResponse:
    return render(request, "portal/public/help.html", _context(lang, "help", regions=help_by_region()))


@public_page
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, lang: str) -> HttpResponse:
    """Ask to be contacted: the channel, the contact or a place and time, the region, the language."""
    posted = request.POST if request.method == "POST" else None
    form = ContactForm(posted, regions=contact_regions(), initial={"language": lang})
    if posted is not None and form.is_valid():
        if not limits.hit(request, door="contact_request").allowed:
            form.add_error(None, content.UNAVAILABLE)
        else:
            try:
                leave = form.cleaned_data
                contact_request_leave(
                    channel=leave["channel"],
                    contact=leave["contact"],
                    meeting=leave["meeting"],
                    language=leave["language"] or lang,
                    region=leave["region"],
                )
            except ValidationError as refused:
                errors_into(form, refused)
            else:
                days = rulebook().portal.contact_expiry_days
                return render(request, "portal/public/sent.html", _context(lang, "contact", days=days))
    status = 400 if posted is not None else 200
    context = _context(lang, "contact", form=form, token=form_token())  # a fresh token each time it is shown
    return render(request, "portal/public/contact.html", context, status=status)
