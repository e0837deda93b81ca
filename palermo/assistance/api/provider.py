"""The provider's side of referrals in the API: referrals received, the package while open, and the
answers. Access rules: palermo.assistance.package."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.assistance.api import serializers as s
from palermo.assistance.api.common import CONFLICT, REFUSALS
from palermo.assistance.models import Referral
from palermo.assistance.package import provider_referral_for, provider_referrals, referral_package
from palermo.assistance.quality import ProviderQuality, provider_quality
from palermo.assistance.services import referrals
from palermo.assistance.web import PROVIDER_VIEW_ROLES, QUALITY_ROLES
from palermo.cases.endpoints import validated
from palermo.cases.lists import ActingAgencyList
from palermo.core import api_errors


class ProviderReferralList(ActingAgencyList):
    palermo_roles = frozenset(PROVIDER_VIEW_ROLES)
    summary = "Referrals received by the caller's agency"
    refusals = {404: REFUSALS[404]}
    serializer_class = s.ProviderReferralSerializer
    model = Referral

    def rows(self, membership: Membership) -> Any:
        return provider_referrals(membership)


def detail_data(request: Request, referral: Referral) -> dict[str, Any]:
    user, membership = acting(request)
    package = referral_package(membership, referral, actor=user)
    package_data = None
    if package is not None:
        package_data = {
            "age_group": package.age_group,
            "gender": package.gender,
            "is_child": package.is_child,
            "languages": [
                {"language": code, "needs_interpreter": needs} for code, needs in package.languages
            ],
            "needs_interpreter": package.needs_interpreter,
            "specific_needs": package.specific_needs,
            "referring_agency": package.referring_agency,
            "referring_contact": package.referring_contact,
        }
    return {"referral": s.ProviderReferralSerializer(referral).data, "package": package_data}


class ProviderReferralDetail(APIView):
    palermo_roles = frozenset(PROVIDER_VIEW_ROLES)

    @extend_schema(
        summary="A referral received, with its package while it is open",
        description="Reading the package is audited; it is null once the referral is closed.",
        responses={200: s.ProviderReferralDetailSerializer, 404: REFUSALS[404]},
    )
    def get(self, request: Request, referral_id: int) -> Response:
        _user, membership = acting(request)
        return Response(detail_data(request, provider_referral_for(membership, referral_id)))


def _answer(
    request: Request,
    referral_id: int,
    serializer_class: type[serializers.Serializer],
    call: Callable[..., Any],
) -> Response:
    user, membership = acting(request)
    referral = provider_referral_for(membership, referral_id)
    body = validated(serializer_class, request)
    with api_errors.shows_current(
        lambda current: detail_data(request, provider_referral_for(membership, referral_id))
    ):
        call(actor=user, membership=membership, referral=referral, **body)
    return Response(detail_data(request, provider_referral_for(membership, referral_id)))


def _answer_view(
    name: str, summary: str, serializer_class: type[serializers.Serializer], call: Any
) -> type[APIView]:
    class Answer(APIView):
        palermo_roles = frozenset(PROVIDER_VIEW_ROLES)

        @extend_schema(
            summary=summary,
            request=serializer_class,
            responses={200: s.ProviderReferralDetailSerializer, 409: CONFLICT, **REFUSALS},
            operation_id=f"assistance_provider_referral_{name}",
        )
        def post(self, request: Request, referral_id: int) -> Response:
            return _answer(request, referral_id, serializer_class, call)

    Answer.__name__ = Answer.__qualname__ = f"ProviderReferral{name.title()}"
    return Answer


def _accept(**kwargs: Any) -> Any:
    return referrals.referral_accept(**kwargs)


def _decline(*, reason: str, **kwargs: Any) -> Any:
    return referrals.referral_decline(reason=reason, **kwargs)


ProviderReferralAccept = _answer_view("accept", "Accept a referral", s.ReferralAcceptSerializer, _accept)
ProviderReferralDecline = _answer_view(
    "decline", "Decline a referral with a reason", s.ReferralDeclineSerializer, _decline
)
ProviderReferralComplete = _answer_view(
    "complete",
    "Record the service given (closes the referral)",
    s.ReferralCompleteSerializer,
    referrals.referral_complete,
)
ProviderReferralClose = _answer_view(
    "close", "Close a referral without the service", s.ReferralCloseSerializer, referrals.referral_close
)


def quality_row(row: ProviderQuality) -> dict[str, Any]:
    """A provider's figures as they may be shown: a withheld one is null and named in `withheld`."""
    cells = row.cells()
    shown = {name: cell.shown for name, cell in cells.items()}
    withheld = [name for name, cell in cells.items() if cell.withheld]
    return {"provider_id": row.provider_id, "provider": row.provider, **shown, "withheld": withheld}


class QualityList(APIView):
    palermo_roles = frozenset(QUALITY_ROLES)

    @extend_schema(
        summary="Quality of services per provider",
        description=(
            "Aggregates only (T0): response time, acceptance rate, services completed, ratings. A count of "
            "fewer than PALERMO_MINIMUM_CELL, and an average or rate computed from so few, is null and named "
            "in `withheld`; zero is shown."
        ),
        responses={200: s.QualitySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        rows = [quality_row(row) for row in provider_quality()]
        return Response(rows)
