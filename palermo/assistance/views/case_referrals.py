"""Referrals and stays in safe accommodation, from the case page (the case team's side).

The provider's side of a referral is in palermo.assistance.views.provider.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.assistance import selectors
from palermo.assistance.forms import FeedbackForm, PlacementEndForm, PlacementForm, ReferralForm, VersionForm
from palermo.assistance.services import placements, referrals
from palermo.assistance.views.case_forms import accommodation_for
from palermo.assistance.views.common import AREA
from palermo.cases.web import SectionPost, section_post
from palermo.core.web import apply_at_version, form_values


@section_post(AREA)
def referral_add(post: SectionPost) -> HttpResponse:
    case = post.case
    form = ReferralForm(
        post.request.POST,
        services=selectors.services_for_case(case),
        narrative=can_write(post.membership, case, Tier.NARRATIVE),
    )
    return post.submit(
        form,
        "assistance_referral_form",
        lambda data: referrals.referral_send(
            **post.actor, case=case, service=data["service"], specific_needs=data.get("specific_needs", "")
        ),
        done=_("Referral sent"),
    )


@section_post(AREA)
def referral_withdraw(post: SectionPost, referral_id: int) -> HttpResponse:
    referral = selectors.case_referral_for(post.case, referral_id)
    return post.submit(
        VersionForm(post.request.POST),
        "assistance_referral_error",
        lambda data: referrals.referral_withdraw(
            **post.actor, referral=referral, **form_values(data, version=True)
        ),
        apply=apply_at_version,
        done=_("Referral withdrawn"),
    )


@section_post(AREA)
def referral_feedback(post: SectionPost, referral_id: int) -> HttpResponse:
    referral = selectors.case_referral_for(post.case, referral_id)
    return post.submit(
        FeedbackForm(post.request.POST, referral_id=referral.pk),
        "assistance_feedback_form",
        lambda data: referrals.referral_feedback(
            **post.actor, referral=referral, **form_values(data, "rating", "note", version=True)
        ),
        apply=apply_at_version,
        done=_("Feedback recorded"),
    )


@section_post(AREA)
def placement_add(post: SectionPost) -> HttpResponse:
    return post.submit(
        PlacementForm(post.request.POST, services=accommodation_for(post.case)),
        "assistance_placement_form",
        lambda data: placements.placement_start(
            **post.actor, case=post.case, **form_values(data, "service", "address")
        ),
        done=_("Placement started"),
    )


@section_post(AREA)
def placement_end(post: SectionPost, placement_id: int) -> HttpResponse:
    placement = selectors.case_placement_for(post.case, placement_id)
    return post.submit(
        PlacementEndForm(post.request.POST, placement_id=placement.pk),
        "assistance_end_form",
        lambda data: placements.placement_end(
            **post.actor, placement=placement, **form_values(data, "reason", version=True)
        ),
        apply=apply_at_version,
        done=_("Placement ended"),
    )
