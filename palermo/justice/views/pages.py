"""The justice pages: the area's page of a case (risk and protection plan, proceedings, the person's choices,
compensation, non-punishment and detention, each part shown only to a role whose duty opens it), each
proceeding's page (hearings with the checklist of measures, the statement log), the letter to the prosecutor,
and one view per form. Every view starts from `justice_case` (404 for a role whose duty opens nothing, a
residence decider among them); values above the viewer's tiers are withheld (`Tiered`), and showing T2-T4 is a
recorded read. Each form is shown only to those the service would let through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from palermo.access.declare import allow
from palermo.access.matrix import JusticePart
from palermo.access.redaction import tier_of_field
from palermo.access.tiered import Tiered
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.web import CASE_ROLES, render_form_conflict
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.web import confirm, errors_into, form_values
from palermo.justice import forms as f
from palermo.justice.letter import letter_response
from palermo.justice.models import (
    CompensationClaim,
    Detention,
    Hearing,
    HearingMeasure,
    Offence,
    Proceeding,
    ProtectionMeasure,
)
from palermo.justice.selectors import (
    JusticeView,
    choices_of,
    claims_of,
    current_risk_assessment,
    detentions_of,
    hearing_blocks,
    hearing_measure_on,
    hearing_on,
    interviews_count,
    justice_case,
    letter_request,
    offences_of,
    parties_of,
    party_in,
    proceeding_id_of,
    proceeding_numbered,
    protection_measures_of,
    record_on,
    request_of,
    risk_assessments_of,
    shown,
)
from palermo.justice.services import person, proceedings, risk
from palermo.justice.services.common import may_write_part

P = JusticePart


def _may(view: JusticeView, part: JusticePart, tier: int = Tier.METADATA) -> bool:
    return may_write_part(view.membership, view.case, part, tier)


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
                f.MeasureStatusForm(initial={"status": m.status, "version": m.version}, row=m.pk),
            )
            if writes
            else (Tiered(m, view.tiers), None)
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
            "justice_choice",
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
                f.AwardForm(initial={"version": claim.version}, row=claim.pk) if writes else None,
                f.PaymentForm(initial={"version": claim.version}, row=claim.pk)
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
                        f.OutcomeForm(initial={"version": req.version, "outcome": req.outcome}, row=req.pk)
                        if writes
                        else None,
                    )
                    for req in offence.requests.all()
                ],
                f.RequestForm(row=offence.pk) if writes else None,
            )
            for offence in offences
        ]
        context["offence_form"] = bound.get("offence_form") or (
            f.OffenceForm() if _may(view, P.NON_PUNISHMENT, Tier.IDENTITY) else None
        )
        context["detentions"] = [
            (
                d,
                f.ReleaseForm(initial={"version": d.version}, row=d.pk)
                if writes and d.ends_on is None
                else None,
            )
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


@allow(*CASE_ROLES)
@never_cache
@require_GET
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
    blocks = hearing_blocks(party)
    statements = list(party.statements.all())
    context = {
        "case": view.case,
        "party": Tiered(party, view.tiers),
        "proceeding": Tiered(proceeding, view.tiers),
        "blocks": [
            (
                block,
                f.HeldForm(initial={"version": block.hearing.version}, row=block.hearing.pk)
                if writes and not block.hearing.held
                else None,
                f.HearingMeasureForm(row=block.hearing.pk)
                if asks and block.summons and not block.hearing.held
                else None,
                [
                    (
                        m,
                        f.MeasureDecisionForm(
                            initial={"version": m.version, "decision": m.decision}, row=m.pk
                        )
                        if writes
                        else None,
                    )
                    for m in block.measures
                ],
            )
            for block in blocks
        ],
        "statements": statements,
        "interviews": interviews_count(statements),
        "update_form": bound.get("update_form")
        or (
            f.ProceedingUpdateForm(
                initial={
                    "stage": proceeding.stage,
                    "outcome": proceeding.outcome,
                    "sentence": proceeding.sentence,
                    "version": proceeding.version,
                }
            )
            if writes
            else None
        ),
        "party_form": bound.get("party_form")
        or (
            f.PartyForm(
                initial={
                    "role": party.role,
                    "identity_withheld": party.identity_withheld,
                    "version": party.version,
                }
            )
            if _may(view, P.PROCEEDINGS, Tier.IDENTITY)
            else None
        ),
        "hearing_form": bound.get("hearing_form") or (f.HearingForm() if writes else None),
        "statement_form": bound.get("statement_form") or (f.StatementForm() if writes else None),
    }
    return render(request, "justice/proceeding.html", context, status=status)


@allow(*CASE_ROLES)
@never_cache
@require_GET
def proceeding_page(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _proceeding_page(request, justice_case(request, reference, P.PROCEEDINGS), pk)


@allow(*CASE_ROLES)
@never_cache
@require_GET
def letter_pdf(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The letter to the prosecutor (PDF): it names the person (or their pseudonym), so T2 readers only."""
    return letter_response(letter_request(justice_case(request, reference, P.NON_PUNISHMENT), pk))


# --- the forms ---

Perform = Callable[[Any, JusticeView, Any, dict[str, Any], Form], object]


def _action(
    form_name: str,
    make_form: Callable[..., Form],
    part: JusticePart,
    perform: Perform,
    *,
    done: str | Promise,
    on_proceeding: bool = False,
    target: Callable[[JusticeView, int], Any] | None = None,
) -> Callable[..., HttpResponse]:
    """The view of one form: validate, run the service through `perform(actor, view, target, data, form)`,
    and answer: the page with the change confirmed, or the page again with the form's errors (400), or, when
    someone saved the record first, the kernel's conflict screen (409: what the user sent beside the record
    now, to keep or to save again knowingly); the same form sent twice is the change made."""

    @allow(*CASE_ROLES)
    @never_cache
    @require_POST
    def act(request: HttpRequest, reference: str, pk: int | None = None) -> HttpResponse:
        view = justice_case(request, reference, part)
        found = target(view, pk) if target is not None and pk is not None else None
        form = make_form(request.POST, row=pk)
        proceeding_pk = proceeding_id_of(found) if on_proceeding else None
        back = (
            reverse("justice:proceeding", args=[view.case.reference, proceeding_pk])
            if proceeding_pk is not None
            else reverse("justice:section", args=[view.case.reference])
        )
        if form.is_valid():
            user, membership = acting(request)
            try:
                perform({"actor": user, "membership": membership}, view, found, form.cleaned_data, form)
            except StaleEdit as stale:
                if not already_saved(stale.current, form.cleaned_data):
                    return _conflict(request, view, form, stale.current, back)
            except ValidationError as error:
                errors_into(form, error)
            except PermissionDenied as denied:
                raise Http404 from denied
        if form.errors:
            if proceeding_pk is not None:
                return _proceeding_page(request, view, proceeding_pk, status=400, **{form_name: form})
            return _area_page(request, view, status=400, **{form_name: form})
        confirm(request, done)
        return redirect(back)

    return act


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


def _proceeding(view: JusticeView, pk: int) -> Proceeding:
    return party_in(view.case, pk).proceeding


def _hearing(view: JusticeView, pk: int) -> Hearing:
    return hearing_on(view.case, pk)


def _hearing_measure(view: JusticeView, pk: int) -> HearingMeasure:
    return hearing_measure_on(view.case, pk)


def _opened(actor: Any, view: JusticeView, target: Any, data: dict[str, Any], form: Form) -> object:
    return proceedings.proceeding_open(
        **actor,
        case=view.case,
        **form_values(
            data,
            "kind",
            "authority",
            "language",
            "role",
            "file_number",
            "charges",
            "opened_on",
            "identity_withheld",
            "pseudonym",
        ),
    )


def _joined(actor: Any, view: JusticeView, target: Any, data: dict[str, Any], form: Form) -> object:
    proceeding = proceeding_numbered(data["proceeding"])
    if proceeding is None:
        raise ValidationError({"proceeding": _("No proceedings with this number that you work on.")})
    return proceedings.proceeding_join(
        **actor,
        case=view.case,
        proceeding=proceeding,
        **form_values(data, "role", "identity_withheld", "pseudonym"),
    )


risk_view = _action(
    "risk_form",
    f.RiskForm,
    P.RISK,
    lambda actor, view, target, data, form: risk.risk_assessment_record(
        **actor,
        case=view.case,
        ratings=form.ratings(),  # type: ignore[attr-defined]
        **form_values(data, "trigger", "overall_level", "assessed_on"),
    ),
    done=_("Risk assessment recorded"),
)
plan_view = _action(
    "plan_form",
    f.ProtectionMeasureForm,
    P.RISK,
    lambda actor, view, target, data, form: risk.protection_measure_add(
        **actor,
        case=view.case,
        **form_values(data, "kind", "carried_out_by", "starts_on", "ends_on", "where"),
    ),
    done=_("Protection measure planned"),
)
plan_status_view = _action(
    "plan_form",
    f.MeasureStatusForm,
    P.RISK,
    lambda actor, view, target, data, form: risk.protection_measure_update(
        **actor, measure=target, **form_values(data, "status", "ends_on", version=True)
    ),
    done=_("Protection measure updated"),
    target=lambda view, pk: record_on(ProtectionMeasure, view.case, pk),
)
proceeding_view = _action(
    "proceeding_form", f.ProceedingForm, P.PROCEEDINGS, _opened, done=_("Proceedings recorded")
)
join_view = _action(
    "join_form", f.JoinForm, P.PROCEEDINGS, _joined, done=_("The person now takes part in the proceedings")
)
stage_view = _action(
    "update_form",
    f.ProceedingUpdateForm,
    P.PROCEEDINGS,
    lambda actor, view, target, data, form: proceedings.proceeding_update(
        **actor,
        case=view.case,
        proceeding=target,
        **form_values(data, "stage", "outcome", "sentence", version=True),
    ),
    done=_("Proceedings updated"),
    on_proceeding=True,
    target=_proceeding,
)
party_view = _action(
    "party_form",
    f.PartyForm,
    P.PROCEEDINGS,
    lambda actor, view, target, data, form: proceedings.party_update(
        **actor,
        party=proceedings.party_of(target, view.case),
        **form_values(data, "role", "identity_withheld", "pseudonym", version=True),
    ),
    done=_("The person's part in the proceedings updated"),
    on_proceeding=True,
    target=_proceeding,
)
hearing_view = _action(
    "hearing_form",
    f.HearingForm,
    P.PROCEEDINGS,
    lambda actor, view, target, data, form: proceedings.hearing_schedule(
        **actor, case=view.case, proceeding=target, **form_values(data, "held_on", "court", "purpose")
    ),
    done=_("Hearing scheduled"),
    on_proceeding=True,
    target=_proceeding,
)
statement_view = _action(
    "statement_form",
    f.StatementForm,
    P.PROCEEDINGS,
    lambda actor, view, target, data, form: proceedings.statement_record(
        **actor,
        case=view.case,
        proceeding=target,
        **form_values(data, "kind", "taken_on", "taken_by", "video_recorded"),
    ),
    done=_("Statement recorded in the log"),
    on_proceeding=True,
    target=_proceeding,
)
held_view = _action(
    "held_form",
    f.HeldForm,
    P.PROCEEDINGS,
    lambda actor, view, target, data, form: proceedings.hearing_held(
        **actor, case=view.case, hearing=target, expected_version=data["version"]
    ),
    done=_("Hearing held"),
    on_proceeding=True,
    target=_hearing,
)
ask_view = _action(
    "ask_form",
    f.HearingMeasureForm,
    P.PROCEEDINGS,
    lambda actor, view, target, data, form: proceedings.hearing_measure_request(
        **actor, case=view.case, hearing=target, kind=data["kind"]
    ),
    done=_("Protective measure asked for"),
    on_proceeding=True,
    target=_hearing,
)
decide_view = _action(
    "decide_form",
    f.MeasureDecisionForm,
    P.PROCEEDINGS,
    lambda actor, view, target, data, form: proceedings.hearing_measure_decide(
        **actor,
        case=view.case,
        measure=target,
        decision=data["decision"],
        honoured=form.honoured_value(),  # type: ignore[attr-defined]
        expected_version=data["version"],
    ),
    done=_("Protective measure decided"),
    on_proceeding=True,
    target=_hearing_measure,
)
choices_view = _action(
    "choices_form",
    f.ChoicesForm,
    P.CHOICES,
    lambda actor, view, target, data, form: person.choices_record(
        **actor,
        case=view.case,
        **form_values(data, *person.CHOICE_FIELDS),
    ),
    done=_("The person's choices recorded"),
)
claim_view = _action(
    "claim_form",
    f.ClaimForm,
    P.COMPENSATION,
    lambda actor, view, target, data, form: person.claim_record(
        **actor, case=view.case, **form_values(data, "route", "currency", "claimed_amount", "claimed_on")
    ),
    done=_("Compensation claim recorded"),
)
award_view = _action(
    "claim_form",
    f.AwardForm,
    P.COMPENSATION,
    lambda actor, view, target, data, form: person.claim_award(
        **actor, claim=target, **form_values(data, "awarded_amount", "awarded_on", version=True)
    ),
    done=_("Award recorded"),
    target=lambda view, pk: record_on(CompensationClaim, view.case, pk),
)
payment_view = _action(
    "claim_form",
    f.PaymentForm,
    P.COMPENSATION,
    lambda actor, view, target, data, form: person.claim_payment(
        **actor, claim=target, **form_values(data, "amount", "paid_on", version=True)
    ),
    done=_("Payment recorded"),
    target=lambda view, pk: record_on(CompensationClaim, view.case, pk),
)
offence_view = _action(
    "offence_form",
    f.OffenceForm,
    P.NON_PUNISHMENT,
    lambda actor, view, target, data, form: person.offence_record(
        **actor, case=view.case, **form_values(data, "kind", "status", "committed_on", "details", "link")
    ),
    done=_("Offence recorded"),
)
request_view = _action(
    "offence_form",
    f.RequestForm,
    P.NON_PUNISHMENT,
    lambda actor, view, target, data, form: person.non_punishment_request(
        **actor, offence=target, **form_values(data, "prosecutor", "language", "requested_on")
    ),
    done=_("Request to the prosecutor recorded: print the letter"),
    target=lambda view, pk: record_on(Offence, view.case, pk),
)
outcome_view = _action(
    "offence_form",
    f.OutcomeForm,
    P.NON_PUNISHMENT,
    lambda actor, view, target, data, form: person.non_punishment_outcome(
        **actor, request=target, **form_values(data, "outcome", "outcome_on", version=True)
    ),
    done=_("The prosecutor's answer recorded"),
    target=lambda view, pk: request_of(view.case, pk),
)
detention_view = _action(
    "detention_form",
    f.DetentionForm,
    P.NON_PUNISHMENT,
    lambda actor, view, target, data, form: person.detention_record(
        **actor, case=view.case, **form_values(data, "authority", "starts_on")
    ),
    done=_("Detention recorded"),
)
release_view = _action(
    "detention_form",
    f.ReleaseForm,
    P.NON_PUNISHMENT,
    lambda actor, view, target, data, form: person.detention_end(
        **actor, detention=target, **form_values(data, "ends_on", version=True)
    ),
    done=_("Release recorded"),
    target=lambda view, pk: record_on(Detention, view.case, pk),
)
