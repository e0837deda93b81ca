"""What a service provider sees of a case: the referral package, and only while the referral is open.

Why not the case team? Putting the provider agency on the case team would open the case page to it at the
tiers the access matrix gives `service_provider.team` (T0-T2: the person's identity, documents, contacts),
for as long as someone remembers to take it off again. A referral is narrower and ends by itself: the
provider needs the few facts its service needs (age group, sex, child or adult, languages and interpreter
need, the specific needs written for it), never the narrative, and only until the referral closes.

So the provider never goes through `case_for`: for `service_provider.other_agency` the matrix grants
nothing, and the case stays a 404 to it. Its one door is this module:
- `provider_referrals(membership)` lists the referrals sent to the membership's agency (T1 facts only:
  service, status, dates), for a usable service-provider membership, and nothing for anyone else;
- `provider_referral_for(membership, pk)` is one of those, 404 otherwise;
- `referral_package(membership, referral)` returns the package only while the referral is open (sent or
  accepted) AND the consent to refer to that provider still holds (a withdrawn consent ends access at once,
  as a closed referral does); every read is recorded in the audit log at the tier of what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from palermo.access.policy import is_usable
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.assistance.models import Referral, ReferralLanguage
from palermo.assistance.services.referrals import PROVIDER_ROLES
from palermo.audit.services import audit_record
from palermo.cases.models import ConsentPurpose
from palermo.cases.selectors import consent_valid


@dataclass(frozen=True)
class ReferralPackage:
    """The minimal package: what the service needs to receive the person, and nothing that names them."""

    referral_id: int
    service_kind: str
    age_group: str
    gender: str
    is_child: bool
    languages: tuple[tuple[str, bool], ...]
    needs_interpreter: bool
    specific_needs: str
    referring_agency: str
    referring_contact: str


def _may_act_as_provider(membership: Membership | None) -> bool:
    return membership is not None and is_usable(membership) and membership.role in PROVIDER_ROLES


def provider_referrals(membership: Membership | None) -> QuerySet[Referral]:
    """Referrals sent to the membership's agency, newest first (T1 facts; no package)."""
    if not _may_act_as_provider(membership):
        return Referral.objects.none()
    assert membership is not None  # noqa: S101  (checked just above)
    return (
        Referral.objects.filter(provider_id=membership.agency_id)
        .select_related("service", "referring_agency")
        .order_by("-sent_at", "-pk")
    )


def provider_referral_for(membership: Membership | None, referral_id: int) -> Referral:
    referral = (
        provider_referrals(membership)
        .select_related("case", "sent_by")
        .prefetch_related(Prefetch("languages", queryset=ReferralLanguage.objects.order_by("pk")))
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def package_available(referral: Referral) -> bool:
    """Open, and the consent to refer to this provider still holds."""
    return referral.is_open and consent_valid(referral.case, ConsentPurpose.REFERRAL, referral.provider_id)


def referral_package(membership: Membership, referral: Referral, *, actor: User) -> ReferralPackage | None:
    """The package for the provider, or None once the referral is closed or the consent withdrawn. The
    referral must come from `provider_referral_for` (so it is one sent to this membership's agency)."""
    if referral.provider_id != membership.agency_id or not _may_act_as_provider(membership):
        raise Http404
    if not package_available(referral):
        return None
    sender = referral.sent_by
    package = ReferralPackage(
        referral_id=referral.pk,
        service_kind=referral.service.kind,
        age_group=referral.age_group,
        gender=referral.gender,
        is_child=referral.is_child,
        languages=tuple((item.language, item.needs_interpreter) for item in referral.languages.all()),
        needs_interpreter=referral.needs_interpreter,
        specific_needs=referral.specific_needs,
        referring_agency=referral.referring_agency.name,
        referring_contact=sender.display_name,
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            membership=membership,
            action="referral.package_read",
            tier=Tier.NARRATIVE if package.specific_needs else Tier.METADATA,
            case=referral.case,
            object_type="referral",
            object_id=str(referral.pk),
        )
    return package
