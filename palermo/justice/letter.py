"""The letter to the prosecutor asking not to prosecute or punish the person (non-punishment), as a PDF in the
prosecutor's language (the request's), citing the legal basis the rulebook gave on the day of the request.

A court document never names a person under identity non-disclosure: when the person's identity is withheld
in any proceedings of the case (or in the proceedings the request names), the letter uses the pseudonym the
court documents use, and the real name is never read at all. Otherwise it names the person (identity, T2:
only a reader of T2 prints it).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language_bidi

from palermo.justice.models import NonPunishmentRequest, ProceedingParty


def court_name(request: NonPunishmentRequest) -> tuple[str, bool]:
    """(the name the letter gives the person, whether it is a pseudonym)."""
    case = request.offence.case
    parties = ProceedingParty.objects.filter(case=case, identity_withheld=True)
    if request.proceeding_id is not None:
        named = parties.filter(proceeding_id=request.proceeding_id).first()
    else:
        named = None
    withheld = named or parties.order_by("pk").first()
    if withheld is not None:
        return withheld.pseudonym, True
    person = case.persons.order_by("pk").first()
    if person is None:
        return "", False
    return " ".join(part for part in (person.given_names, person.family_names) if part), False


def letter_context(request: NonPunishmentRequest) -> dict[str, Any]:
    name, pseudonym = court_name(request)
    return {
        "request": request,
        "offence": request.offence,
        "case": request.offence.case,
        "name": name,
        "pseudonym": pseudonym,
        "printed_on": timezone.localdate(),
    }


def render_letter_html(request: NonPunishmentRequest) -> str:
    with translation.override(request.language):
        context = {**letter_context(request), "language": request.language, "rtl": get_language_bidi()}
        return render_to_string("justice/letter.html", context)


def render_letter_pdf(request: NonPunishmentRequest) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs time the other screens need not pay

    return HTML(string=render_letter_html(request)).write_pdf()  # type: ignore[no-any-return]


def letter_response(request: NonPunishmentRequest) -> HttpResponse:
    response = HttpResponse(render_letter_pdf(request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="non-punishment-{request.pk}-{request.language}.pdf"'
    return response
