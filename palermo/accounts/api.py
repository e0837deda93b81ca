from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.declare import ANY_MEMBER
from palermo.accounts import selectors
from palermo.accounts.active import acting, active_membership
from palermo.accounts.models import Agency, Notice, User
from palermo.accounts.notice_kinds import notice_text
from palermo.accounts.roles import ADMINISTRATORS, AgencyType, Role
from palermo.accounts.selectors import notice_of, notices_of
from palermo.accounts.services import administration as services
from palermo.accounts.services import notices as notice_services
from palermo.accounts.web import ACCOUNT_CHANGES, person_in_agency
from palermo.core.api_lists import CallerList


class MembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.name")
    agency_type = serializers.CharField(source="agency.type")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    unread_notices = serializers.IntegerField()
    active_membership = MembershipSerializer(allow_null=True)
    memberships = MembershipSerializer(many=True)


class MeView(APIView):
    """Who am I acting as: the signed-in user, the active membership and all memberships."""

    palermo_roles = ANY_MEMBER

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        data = {
            "username": request.user.get_username(),
            "unread_notices": request.user.unread_notices,  # type: ignore[union-attr]
            "active_membership": active_membership(request._request),
            "memberships": request.user.active_memberships(),  # type: ignore[union-attr]
        }
        return Response(MeSerializer(data).data)


# --- administration (docs/decisions/0032) ------------------------------------------------------------------


class AdministeredAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=AgencyType.choices)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(read_only=True)


class StaffMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    is_active = serializers.BooleanField()


class StaffSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    email = serializers.EmailField()
    is_active = serializers.BooleanField()
    memberships = StaffMembershipSerializer(many=True, source="agency_memberships")


class InvitationRequestSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.IntegerField(source="user_id")
    membership = serializers.IntegerField(source="membership_id")
    expires_at = serializers.DateTimeField()
    used_at = serializers.DateTimeField(allow_null=True)


class RoleRequestSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class AccountChangeSerializer(serializers.Serializer):
    done = serializers.CharField(help_text="Which change was made.")


class AdministrationAgencies(CallerList):
    """The agencies the caller administers: every one for a system administrator, their own for an agency
    administrator. A system administrator adds agencies here."""

    palermo_roles = frozenset(ADMINISTRATORS)
    serializer_class = AdministeredAgencySerializer

    model = Agency

    def listed(self) -> QuerySet[Agency]:
        return selectors.agencies_administered(acting(self.request).membership)

    @extend_schema(
        summary="Add an agency",
        description="System administrators only (404 for anyone else). On the audit record.",
        request=AdministeredAgencySerializer,
        responses={201: AdministeredAgencySerializer},
    )
    def post(self, request: Request) -> Response:
        incoming = AdministeredAgencySerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        agency = services.agency_add(actor=acting(request).membership, **incoming.validated_data)
        return Response(AdministeredAgencySerializer(agency).data, status=status.HTTP_201_CREATED)


class AdministrationStaff(CallerList):
    """Everyone with a role, active or ended, in an agency the caller administers (404 for another)."""

    palermo_roles = frozenset(ADMINISTRATORS)
    serializer_class = StaffSerializer

    model = User

    def listed(self) -> QuerySet[User]:
        membership = acting(self.request).membership
        return selectors.staff_of(selectors.agency_administered(membership, self.kwargs["agency_id"]))


class AdministrationInvite(APIView):
    palermo_roles = frozenset(ADMINISTRATORS)

    @extend_schema(
        summary="Invite someone to an agency",
        description=(
            "Creates the account (its sign-in name is the email address) with one role in the agency, and "
            "emails a single-use link to choose a password and set up a second factor. An agency "
            "administrator invites to their own agency only, and never as system administrator."
        ),
        request=InvitationRequestSerializer,
        responses={201: InvitationSerializer},
    )
    def post(self, request: Request, agency_id: int) -> Response:
        membership = acting(request).membership
        agency = selectors.agency_administered(membership, agency_id)
        incoming = InvitationRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        invitation = services.invitation_create(actor=membership, agency=agency, **incoming.validated_data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class AdministrationInvitationResend(APIView):
    palermo_roles = frozenset(ADMINISTRATORS)

    @extend_schema(
        summary="Send an invitation again",
        description="A new link and expiry; the earlier link stops working.",
        request=None,
        responses={200: InvitationSerializer},
    )
    def post(self, request: Request, agency_id: int, invitation_id: int) -> Response:
        membership = acting(request).membership
        agency = selectors.agency_administered(membership, agency_id)
        invitation = selectors.invitation_administered(membership, invitation_id)
        if invitation.membership.agency_id != agency.pk:
            raise Http404
        invitation = services.invitation_resend(actor=membership, invitation=invitation)
        return Response(InvitationSerializer(invitation).data)


class AdministrationRoleGrant(APIView):
    palermo_roles = frozenset(ADMINISTRATORS)

    @extend_schema(
        summary="Grant a person a role in the agency",
        request=RoleRequestSerializer,
        responses={201: StaffMembershipSerializer},
    )
    def post(self, request: Request, agency_id: int, user_id: int) -> Response:
        membership = acting(request).membership
        agency, user = person_in_agency(membership, agency_id, user_id)
        incoming = RoleRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        granted = services.role_grant(
            actor=membership, user=user, agency=agency, role=incoming.validated_data["role"]
        )
        return Response(StaffMembershipSerializer(granted).data, status=status.HTTP_201_CREATED)


class AdministrationAccountChange(APIView):
    """One change to a person's account, named in the address: `deactivate`, `reactivate`,
    `reset-second-factor` (asks), `confirm-reset` (a second administrator), `cancel-reset`; and ending one
    role (`roles/<id>/end/`)."""

    palermo_roles = frozenset(ADMINISTRATORS)

    @extend_schema(
        summary="Change a person's account",
        description=(
            "Each change is on the audit record. Deactivation ends the account's sessions. A second factor "
            "reset is asked by one administrator and confirmed by another of the same agency or a system "
            "administrator; the person is then told by email and enrols again at their next sign-in."
        ),
        request=None,
        responses={200: AccountChangeSerializer},
    )
    def post(self, request: Request, agency_id: int, user_id: int, action: str, **kwargs: Any) -> Response:
        membership = acting(request).membership
        _agency, user = person_in_agency(membership, agency_id, user_id)
        change = ACCOUNT_CHANGES.get(action)
        if change is None:
            raise Http404
        change(membership, user, kwargs)
        return Response({"done": action})


# --- notices (docs/decisions/0033) -------------------------------------------------------------------------


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.SerializerMethodField(help_text="What happened, in the caller's language.")
    case_reference = serializers.CharField(source="reference")
    path = serializers.CharField(help_text="Where to look, on this site.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_text(self, notice: Notice) -> str:
        return notice_text(notice)


class NoticeList(CallerList):
    """The caller's own notices, newest first; `unread` in the `me` answer counts those not yet read."""

    palermo_roles = ANY_MEMBER
    serializer_class = NoticeSerializer

    model = Notice

    def listed(self) -> QuerySet[Notice]:
        return notices_of(self.request.user)  # type: ignore[arg-type]


class NoticeRead(APIView):
    palermo_roles = ANY_MEMBER

    @extend_schema(
        operation_id="notice_read",
        summary="Mark one of one's notices read",
        request=None,
        responses={200: NoticeSerializer},
    )
    def post(self, request: Request, notice_id: int) -> Response:
        notice = notice_of(request.user, notice_id)  # type: ignore[arg-type]
        notice = notice_services.notice_read(user=request.user, notice=notice)  # type: ignore[arg-type]
        return Response(NoticeSerializer(notice).data)


class NoticesReadAll(APIView):
    palermo_roles = ANY_MEMBER

    @extend_schema(
        operation_id="notices_read_all",
        summary="Mark all of one's notices read",
        request=None,
        responses={200: AccountChangeSerializer},
    )
    def post(self, request: Request) -> Response:
        notice_services.notices_read_all(user=request.user)  # type: ignore[arg-type]
        return Response({"done": "read-all"})
