"""Referrals and stays in safe accommodation, from the case page (the case team's side).

The provider's side of a referral is in palermo.assistance.views.provider.
"""

from __future__ import annotations

from functools import partial

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.assistance import selectors
from palermo.assistance.forms import FeedbackForm, PlacementEndForm, PlacementForm, ReferralForm, VersionForm
from palermo.assistance.services import placements, referrals
from palermo.assistance.views.case_forms import accommodation_for
from palermo.assistance.views.common import AREA, record_change
from palermo.cases.web import SectionPost, section_post
from palermo.core.web import form_values


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


# A referral of the case, changed at the version read.
_referral_change = partial(record_change, selectors.case_referral_for, "referral")
referral_withdraw = _referral_change(
    VersionForm, "assistance_referral_error", referrals.referral_withdraw, done=_("Referral withdrawn")
)
referral_feedback = _referral_change(
    FeedbackForm,
    "assistance_feedback_form",
    referrals.referral_feedback,
    "rating",
    "note",
    done=_("Feedback recorded"),
    form_knows="referral_id",
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


placement_end = record_change(
    selectors.case_placement_for,
    "placement",
    PlacementEndForm,
    "assistance_end_form",
    placements.placement_end,
    "reason",
    done=_("Placement ended"),
    form_knows="placement_id",
)
