"""Matching across borders, for the identification authority: the partner NRMs, the questions asked both
ways (T1: which partner, which way, the answer), and a question about the person of a case."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core import iso
from palermo.core.forms import StyledForm
from palermo.core.staff_pages import staff_page
from palermo.linkage.partner_reads import partner_and_person, partner_log
from palermo.linkage.services.duplicates import REVIEWERS
from palermo.linkage.services.partners import active_partners, partner_question_send


class AskForm(StyledForm):
    partner = forms.TypedChoiceField(label=gettext_lazy("Partner NRM"), coerce=int)
    reference = forms.CharField(label=gettext_lazy("Case reference"), max_length=40)
    sender = forms.CharField(
        label=gettext_lazy("Our identifier at the partner"),
        max_length=20,
        help_text=gettext_lazy("As the partner registered this NRM."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["partner"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.name} ({iso.country_name(p.country)})") for p in active_partners()
        ]


@staff_page(allow(*REVIEWERS), "GET", "POST")
def partner_questions(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    form = AskForm(request.POST or None)
    answer = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            partner, person = partner_and_person(membership, data["partner"], data["reference"])
            known, contact = partner_question_send(
                actor=user, membership=membership, partner=partner, person=person, sender=data["sender"]
            )
            answer = {"known": known, "contact": contact}
            form = AskForm()
        else:
            status = 400
    context = {
        "form": form,
        "answer": answer,
        "partners": list(active_partners()),
        "log": partner_log(membership),
        "title": _("Matching across borders"),
    }
    return render(request, "linkage/partners.html", context, status=status)
