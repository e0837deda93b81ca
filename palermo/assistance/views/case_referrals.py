"""Referrals and stays in safe accommodation, from the case page (the case team's side).

The provider's side of a referral is in palermo.assistance.views.provider.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from palermo.access.declare import allow
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.assistance import selectors
from palermo.assistance.forms import FeedbackForm, PlacementEndForm, PlacementForm, ReferralForm, VersionForm
from palermo.assistance.services import placements, referrals
from palermo.assistance.views.case_forms import accommodation_for
from palermo.assistance.views.common import AREA, apply_at_version, apply_to_form, refused_form
from palermo.cases.web import CASE_ROLES, section_changed, visible_case


@allow(*CASE_ROLES)
@never_cache
@require_POST
def referral_add(request: HttpRequest, reference: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    form = ReferralForm(
        request.POST,
        services=selectors.services_for_case(case),
        narrative=can_write(membership, case, Tier.NARRATIVE),
    )
    if form.is_valid() and apply_to_form(
        form,
        lambda: referrals.referral_send(
            actor=user,
            membership=membership,
            case=case,
            service=form.cleaned_data["service"],
            specific_needs=form.cleaned_data.get("specific_needs", ""),
        ),
    ):
        return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_referral_form", form)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def referral_withdraw(request: HttpRequest, reference: str, referral_id: int) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    referral = selectors.case_referral_for(case, referral_id)
    form = VersionForm(request.POST)
    if form.is_valid() and apply_at_version(
        form,
        lambda: referrals.referral_withdraw(
            actor=user,
            membership=membership,
            referral=referral,
            expected_version=form.cleaned_data["version"],
        ),
    ):
        return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_referral_error", form)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def referral_feedback(request: HttpRequest, reference: str, referral_id: int) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    referral = selectors.case_referral_for(case, referral_id)
    form = FeedbackForm(request.POST, referral_id=referral.pk)
    if form.is_valid() and apply_at_version(
        form,
        lambda: referrals.referral_feedback(
            actor=user,
            membership=membership,
            referral=referral,
            rating=form.cleaned_data["rating"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        ),
    ):
        return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_feedback_form", form)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def placement_add(request: HttpRequest, reference: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    form = PlacementForm(request.POST, services=accommodation_for(case))
    if form.is_valid() and apply_to_form(
        form,
        lambda: placements.placement_start(
            actor=user,
            membership=membership,
            case=case,
            service=form.cleaned_data["service"],
            address=form.cleaned_data["address"],
        ),
    ):
        return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_placement_form", form)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def placement_end(request: HttpRequest, reference: str, placement_id: int) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    placement = selectors.case_placement_for(case, placement_id)
    form = PlacementEndForm(request.POST, placement_id=placement.pk)
    if form.is_valid() and apply_at_version(
        form,
        lambda: placements.placement_end(
            actor=user,
            membership=membership,
            placement=placement,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
    ):
        return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_end_form", form)
