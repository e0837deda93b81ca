"""The justice pages: the area's page of a case (risk and protection plan, proceedings, the person's choices,
compensation, non-punishment and detention, each part shown only to a role whose duty opens it), each
proceeding's page (hearings with the checklist of measures, the statement log), the letter to the prosecutor,
and one view per form. Every view starts from `justice_case` (404 for a role whose duty opens nothing, a
residence decider among them); values above the viewer's tiers are withheld (`Tiered`), and showing T2-T4 is a
recorded read. Each form is shown only to those the service would let through."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import allow
from palermo.access.matrix import JusticePart
from palermo.access.redaction import tier_of_field
from palermo.access.tiered import Tiered
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.web import CASE_ROLES, render_form_conflict
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.days import today
from palermo.core.staff_pages import staff_page
from palermo.core.web import confirm, errors_into
from palermo.justice import actions as A
from palermo.justice import forms as f
from palermo.justice.actions import Act
from palermo.justice.letter import letter_response
from palermo.justice.selectors import (
    HearingBlock,
    JusticeView,
    choices_of,
    claims_of,
    current_risk_assessment,
    detentions_of,
    hearing_blocks,
    interviews_count,
    justice_case,
    letter_request,
    next_hearing,
    offences_of,
    parties_of,
    party_in,
    proceeding_id_of,
    protection_measures_of,
    risk_assessments_of,
    shown,
)
from palermo.justice.services.common import may_write_part

P = JusticePart


def _may(view: JusticeView, part: JusticePart, tier: int = Tier.METADATA) -> bool:
    return may_write_part(view.membership, view.case, part, tier)


def _on_row(bound: dict[str, Form], name: str, pk: int, empty: Callable[[], Form] | None) -> Form | None:
    """The form `name` of the record `pk`: the one sent back with errors when it came from this record's
    row (so its errors show where it was sent from), else a fresh one (`empty`; None: no form)."""
    sent = bound.get(name)
    if sent is not None and getattr(sent, "row", None) == pk:
        return sent
    return empty() if empty is not None else None


def _tiered(view: JusticeView, records: list[Any]) -> list[Tiered[Any]]:
    return [Tiered(record, view.tiers) for record in records]


def _risk_context(view: JusticeView, bound: dict[str, Form]) -> dict[str, Any]:
    assessments = risk_assessments_of(view.case)
    measures = protection_measures_of(view.case)
    ratings = [rating for assessment in assessments for rating in assessment.ratings.all()]
    shown(view, ratings + measures, Tier.LOCATION, "justice_risk")
    writes = _may(view, P.RISK)
    return {
        "risk_current": current_risk_assessment(view.case),
        "risk_assessments": [
            (assessment, _tiered(view, list(assessment.ratings.all()))) for assessment in assessments
        ],
        "plan": [
            (
                Tiered(m, view.tiers),
                _on_row(bound, "plan_status_form", m.pk, partial(f.MeasureStatusForm.of, m))
                if writes
                else None,
            )
            for m in measures
        ],
        "risk_form": bound.get("risk_form") or (f.RiskForm() if writes else None),
        "plan_form": bound.get("plan_form") or (f.ProtectionMeasureForm() if writes else None),
        "show_location": Tier.LOCATION in view.tiers,
    }


def _proceedings_context(view: JusticeView, bound: dict[str, Form]) -> dict[str, Any]:
    parties = parties_of(view.case)
    shown(view, parties, Tier.IDENTITY, "justice_party")
    writes = _may(view, P.PROCEEDINGS)
    return {
        "parties": [
            (
                Tiered(party, view.tiers),
                Tiered(party.proceeding, view.tiers),
                interviews_count(party.statements.all()),
                next_hearing(party),
            )
            for party in parties
        ],
        "proceeding_form": bound.get("proceeding_form") or (f.ProceedingForm() if writes else None),
        "join_form": bound.get("join_form") or (f.JoinForm() if writes else None),
    }


def _person_context(view: JusticeView, bound: dict[str, Form]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if view.reads(P.CHOICES):
        choices = choices_of(view.case)
        shown(
            view,
            choices,
            max((t for t in (Tier.IDENTITY, Tier.NARRATIVE) if t in view.tiers), default=1),
            "justice_informedchoice",  # as the API names it (palermo.audit.actions words it)
        )
        context["choices"] = _tiered(view, choices)
        context["choices_form"] = bound.get("choices_form") or (
            f.ChoicesForm() if _may(view, P.CHOICES) else None
        )
    if view.reads(P.COMPENSATION):
        writes = _may(view, P.COMPENSATION)
        context["claims"] = [
            (
                claim,
                _on_row(bound, "award_form", claim.pk, partial(f.AwardForm.of, claim)) if writes else None,
                _on_row(bound, "payment_form", claim.pk, partial(f.PaymentForm.of, claim))
                if writes and claim.awarded_amount and claim.unpaid
                else None,
            )
            for claim in claims_of(view.case)
        ]
        context["claim_form"] = bound.get("claim_form") or (f.ClaimForm() if writes else None)
    if view.reads(P.NON_PUNISHMENT):
        writes = _may(view, P.NON_PUNISHMENT)
        offences = offences_of(view.case)
        shown(view, offences, Tier.IDENTITY, "justice_offence")
        context["offences"] = [
            (
                Tiered(offence, view.tiers),
                [
                    (
                        req,
                        _on_row(bound, "outcome_form", req.pk, partial(f.OutcomeForm.of, req))
                        if writes
                        else None,
                    )
                    for req in offence.requests.all()
                ],
                _on_row(bound, "request_form", offence.pk, partial(f.RequestForm, row=offence.pk))
                if writes
                else None,
            )
            for offence in offences
        ]
        context["offence_form"] = bound.get("offence_form") or (
            f.OffenceForm() if _may(view, P.NON_PUNISHMENT, Tier.IDENTITY) else None
        )
        context["detentions"] = [
            (d, _on_row(bound, "release_form", d.pk, partial(f.ReleaseForm.of, d)))
            if writes and d.ends_on is None
            else (d, None)
            for d in detentions_of(view.case)
        ]
        context["detention_form"] = bound.get("detention_form") or (f.DetentionForm() if writes else None)
        context["letter_readable"] = Tier.IDENTITY in view.tiers
    return context


def _area_page(request: HttpRequest, view: JusticeView, status: int = 200, **bound: Form) -> HttpResponse:
    context: dict[str, Any] = {"case": view.case, "parts": {part.value for part in view.parts}}
    if view.reads(P.RISK):
        context.update(_risk_context(view, bound))
    if view.reads(P.PROCEEDINGS):
        context.update(_proceedings_context(view, bound))
    context.update(_person_context(view, bound))
    return render(request, "justice/page.html", context, status=status)


@staff_page(allow(*CASE_ROLES), "GET")
def area_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _area_page(request, justice_case(request, reference))


def _proceeding_page(
    request: HttpRequest, view: JusticeView, pk: int, status: int = 200, **bound: Form
) -> HttpResponse:
    party = party_in(view.case, pk)
    shown(view, [party], Tier.IDENTITY, "justice_party")
    proceeding = party.proceeding
    writes = _may(view, P.PROCEEDINGS)
    asks = writes or _may(view, P.CHOICES)
    statements = list(party.statements.all())
    context = {
        "case": view.case,
        "party": Tiered(party, view.tiers),
        "proceeding": Tiered(proceeding, view.tiers),
        "blocks": [_hearing_block(block, bound, writes, asks) for block in hearing_blocks(party)],
        "statements": statements,
        "interviews": interviews_count(statements),
        "update_form": bound.get("update_form")
        or (f.ProceedingUpdateForm.of(proceeding, alone=True) if writes else None),
        "party_form": bound.get("party_form")
        or (f.PartyForm.of(party, alone=True) if _may(view, P.PROCEEDINGS, Tier.IDENTITY) else None),
        "hearing_form": bound.get("hearing_form") or (f.HearingForm() if writes else None),
        "statement_form": bound.get("statement_form") or (f.StatementForm() if writes else None),
    }
    return render(request, "justice/proceeding.html", context, status=status)


def _hearing_block(block: HearingBlock, bound: dict[str, Form], writes: bool, asks: bool) -> dict[str, Any]:
    """One hearing as its proceeding's page shows it, with the forms this reader may use on it: a form sent
    back with errors stands on the row it was sent from, in place of its empty one."""
    hearing = block.hearing
    changes = writes and hearing.scheduled
    # A hearing is recorded held on its day or after (a page read the day before still gets the refusal).
    held = (lambda: f.HeldForm.of(hearing)) if hearing.held_on <= today() else None
    return {
        "block": block,
        "held_form": _on_row(bound, "held_form", hearing.pk, held) if changes else None,
        "adjourn_form": _on_row(bound, "adjourn_form", hearing.pk, partial(f.AdjournForm.of, hearing))
        if changes
        else None,
        "cancel_form": _on_row(bound, "cancel_form", hearing.pk, partial(f.CancelHearingForm.of, hearing))
        if changes
        else None,
        "ask_form": _on_row(bound, "ask_form", hearing.pk, partial(f.HearingMeasureForm, row=hearing.pk))
        if asks and block.summons and hearing.scheduled
        else None,
        "measures": [
            (m, _on_row(bound, "decide_form", m.pk, partial(f.MeasureDecisionForm.of, m)) if writes else None)
            for m in block.measures
        ],
    }


@staff_page(allow(*CASE_ROLES), "GET")
def proceeding_page(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _proceeding_page(request, justice_case(request, reference, P.PROCEEDINGS), pk)


@staff_page(allow(*CASE_ROLES), "GET")
def letter_pdf(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The letter to the prosecutor (PDF): it names the person (or their pseudonym), so T2 readers only."""
    return letter_response(letter_request(justice_case(request, reference, P.NON_PUNISHMENT), pk))


# --- the forms ---


def _action(
    form_name: str, make_form: type[f.JusticeForm], act: Act, done: str | Promise
) -> Callable[..., HttpResponse]:
    """The view of one form: validate, run the action with the form's values, and answer: the page with the
    change confirmed, or the page again with the form's errors (400), or, when someone saved the record
    first, the kernel's conflict screen (409). A change to one proceeding's records answers with that
    proceeding's page, any other with the area's page."""

    @staff_page(allow(*CASE_ROLES), "POST")
    def act_view(request: HttpRequest, reference: str, pk: int | None = None) -> HttpResponse:
        view = justice_case(request, reference, act.part)
        target = act.target(view.case, pk)
        proceeding_pk = proceeding_id_of(target) if act.on_proceeding else None
        back = (
            reverse("justice:proceeding", args=[view.case.reference, proceeding_pk])
            if proceeding_pk is not None
            else reverse("justice:section", args=[view.case.reference])
        )
        form = make_form(request.POST, row=pk)
        if form.is_valid():
            conflict = _run(request, act, view, target, form, back)
            if conflict is not None:
                return conflict
        if form.errors:
            if proceeding_pk is not None:
                return _proceeding_page(request, view, proceeding_pk, status=400, **{form_name: form})
            return _area_page(request, view, status=400, **{form_name: form})
        confirm(request, done)
        return redirect(back)

    return act_view


def _run(
    request: HttpRequest, act: Act, view: JusticeView, target: Any, form: f.JusticeForm, back: str
) -> HttpResponse | None:
    """Run the action; a refusal is the form's errors, or 404 (not allowed looks like missing). When someone
    saved the record first, the conflict screen (what the user sent beside the record now, to keep or to
    save again knowingly); the same form sent twice is the change made."""
    user, membership = acting(request)
    try:
        act.run(actor=user, membership=membership, case=view.case, target=target, values=form.values())
    except StaleEdit as stale:
        if not already_saved(stale.current, form.cleaned_data):
            return _conflict(request, view, form, stale.current, back)
    except ValidationError as error:
        errors_into(form, error)
    except PermissionDenied as denied:
        raise Http404 from denied
    return None


def _conflict(request: HttpRequest, view: JusticeView, form: Form, current: Any, back: str) -> HttpResponse:
    """Someone saved the record first: the kernel's conflict screen, the record's values at the reader's
    tiers (showing T2-T4 is a recorded read, as on the pages)."""
    record = Tiered(current, view.tiers)
    fields = {field.name: field for field in current._meta.concrete_fields}
    tier = max((tier_of_field(fields[name]) for name in form.fields if name in fields), default=Tier.METADATA)
    shown(view, [current], tier, f"justice_{current._meta.model_name}")
    return render_form_conflict(
        request,
        form,
        record,
        title=str(_("This record was changed while you were editing it")),
        back_url=back,
    )


# One view per form: the form, the action, and what the page confirms once it is done.
risk_view = _action("risk_form", f.RiskForm, A.RISK, _("Risk assessment recorded"))
plan_view = _action("plan_form", f.ProtectionMeasureForm, A.PLAN, _("Protection measure planned"))
plan_status_view = _action(
    "plan_status_form", f.MeasureStatusForm, A.PLAN_STATUS, _("Protection measure updated")
)
proceeding_view = _action("proceeding_form", f.ProceedingForm, A.PROCEEDING, _("Proceedings recorded"))
join_view = _action("join_form", f.JoinForm, A.JOIN, _("The person now takes part in the proceedings"))
stage_view = _action("update_form", f.ProceedingUpdateForm, A.STAGE, _("Proceedings updated"))
party_view = _action("party_form", f.PartyForm, A.PARTY, _("The person's part in the proceedings updated"))
hearing_view = _action("hearing_form", f.HearingForm, A.HEARING, _("Hearing scheduled"))
statement_view = _action("statement_form", f.StatementForm, A.STATEMENT, _("Statement recorded in the log"))
held_view = _action("held_form", f.HeldForm, A.HELD, _("Hearing held"))
adjourn_view = _action("adjourn_form", f.AdjournForm, A.ADJOURN, _("Hearing put off to its new day"))
cancel_view = _action("cancel_form", f.CancelHearingForm, A.CANCEL, _("Hearing cancelled"))
ask_view = _action("ask_form", f.HearingMeasureForm, A.ASK, _("Protective measure asked for"))
decide_view = _action("decide_form", f.MeasureDecisionForm, A.DECIDE, _("Protective measure decided"))
choices_view = _action("choices_form", f.ChoicesForm, A.CHOICES, _("The person's choices recorded"))
claim_view = _action("claim_form", f.ClaimForm, A.CLAIM, _("Compensation claim recorded"))
award_view = _action("award_form", f.AwardForm, A.AWARD, _("Award recorded"))
payment_view = _action("payment_form", f.PaymentForm, A.PAYMENT, _("Payment recorded"))
offence_view = _action("offence_form", f.OffenceForm, A.OFFENCE, _("Offence recorded"))
request_view = _action(
    "request_form", f.RequestForm, A.REQUEST, _("Request to the prosecutor recorded: print the letter")
)
outcome_view = _action("outcome_form", f.OutcomeForm, A.OUTCOME, _("The prosecutor's answer recorded"))
detention_view = _action("detention_form", f.DetentionForm, A.DETENTION, _("Detention recorded"))
release_view = _action("release_form", f.ReleaseForm, A.RELEASE, _("Release recorded"))
