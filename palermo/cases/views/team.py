"""The case team on the case page: the lead agency, the agencies and named people working on the case, the way
to the team page (palermo.access) where those who manage the team add and remove entries, and the form that
hands the lead to another agency, with a reason and a confirmation step (palermo.cases.services.lead)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palermo.access import policy
from palermo.access.selectors import case_team_entries
from palermo.access.tiered import Tiered
from palermo.accounts.active import acting
from palermo.accounts.models import Agency, Membership
from palermo.cases.facts import preloaded
from palermo.cases.models import Case
from palermo.cases.services.lead import REASON_MAX, case_lead_transfer, lead_candidates
from palermo.cases.web import SectionPost, render_conflict, render_section, section_post
from palermo.core.concurrency import StaleEdit
from palermo.core.forms import StyledForm
from palermo.core.web import apply_to_form, form_values


class LeadTransferForm(StyledForm):
    agency = forms.ModelChoiceField(
        label=_("Agency that will lead the case"), queryset=Agency.objects.none(), empty_label="—"
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        help_text=_("Kept with the case, encrypted. No names, please."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Empty on the first post (the confirmation step follows), "yes" on the confirmation's.
    confirmed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_lead_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared just above)
        field.queryset = Agency.objects.filter(pk__in=[agency.pk for agency in lead_candidates(case)])


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _, membership = acting(request)
    return {
        # Tiered: an entry naming a safe house's provider or a health service reads at T3 or T4.
        "team": [
            Tiered(entry, tiers) for entry in preloaded(case, "cases.team", lambda: case_team_entries(case))
        ],
        "team_may_manage": policy.can_manage_team(membership, case),
        "lead_may_transfer": policy.can_transfer_lead(membership, case),
    }


def lead_form(membership: Membership, case: Case) -> LeadTransferForm:
    """The empty form, for the lead agency's members who manage the team (404 for anyone else)."""
    if not policy.can_transfer_lead(membership, case):
        raise Http404
    return LeadTransferForm(case=case, initial={"version": case.version})


@section_post("team")
def lead_transfer(post: SectionPost) -> HttpResponse:
    """First post: the confirmation (who hands the case to whom). Confirmed: the lead changes hands."""
    if not policy.can_transfer_lead(post.membership, post.case):
        raise Http404
    form = LeadTransferForm(post.request.POST, case=post.case)
    if not form.is_valid():
        return post.refused(lead_form=form)
    data = form.cleaned_data
    if data["confirmed"] != "yes":  # the confirmation step: nothing refused, nothing changed yet
        return render_section(
            post.request,
            post.case,
            post.tiers,
            post.area,
            lead_confirm=form,
            lead_from=post.case.lead_agency,
            lead_to=data["agency"],
        )
    try:
        case = apply_to_form(
            form,
            lambda: case_lead_transfer(
                **post.actor, case=post.case, **form_values(data, "agency", "reason", version=True)
            ),
        )
    except StaleEdit as stale:
        return _lead_conflict(post.request, post.case, data, stale.current)  # type: ignore[arg-type]
    if form.errors or case is None:
        if not policy.can_transfer_lead(post.membership, post.case):
            raise Http404
        return post.refused(lead_form=form)
    done = _("%(agency)s now leads the case") % {"agency": data["agency"].name}
    return post.changed(case, refresh_header=True, done=done)


def _lead_conflict(request: HttpRequest, case: Case, data: dict[str, Any], current: Case) -> HttpResponse:
    if current.lead_agency_id != case.lead_agency_id:
        raise Http404  # the lead is no longer this member's to hand on
    return render_conflict(
        request,
        title=str(_("The case changed while you were looking at it")),
        rows=[
            {"label": _("Lead agency"), "yours": data["agency"].name, "current": current.lead_agency.name},
        ],
        retry_action=reverse("cases:lead_transfer", args=[case.reference]),
        retry_fields={
            "agency": data["agency"].pk,
            "reason": data["reason"],
            "version": current.version,
            "confirmed": "yes",
        },
        back_url=reverse("cases:detail", args=[case.reference]),
    )
