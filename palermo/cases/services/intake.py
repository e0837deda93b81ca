"""Intake: a first responder records a first contact, saves it as a draft as often as needed, and refers the
person to the identification authority by submitting it.

A draft is the responder's working paper: the referral form's data as JSON text, encrypted as one value
(`IntakeDraft.content`), readable and writable only by the user who started it, acting for the same agency.
Saves state the version they read (a second tab cannot silently overwrite the first).

Submitting is all or nothing, in one transaction: the case (led by the referring agency), the person with
every detail, aliases, citizenships, languages, the forms of exploitation suspected, the consent to referral
(the person's; a child's referral needs none: it is a protection duty, and a guardian's consent given at
once is recorded), the first case team (the referring agency and the chosen
identification authority), a note of how the contact happened (T4), the timeline entry and the audit event.
The draft keeps only the link to its case: its content is emptied, since the case now holds the data. When
the transaction commits, a background task emails the identification authority's members the case
reference (no personal data). Submitting an adult's referral without consent is refused.
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from palermo.access.services import case_team_open
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.notice_kinds import notice_kind
from palermo.accounts.roles import Role
from palermo.accounts.services.notices import notices_send
from palermo.audit.services import audit_record
from palermo.cases.exploitation import check_new_forms
from palermo.cases.identity import identity_changed
from palermo.cases.models import (
    AgeGroup,
    BirthDatePrecision,
    Case,
    CaseExploitation,
    ConsentGiver,
    ConsentPurpose,
    EventKind,
    IntakeDraft,
    Person,
    PersonAlias,
    PersonCitizenship,
    PersonLanguage,
)
from palermo.cases.opening import case_opened
from palermo.cases.reference import Gender
from palermo.cases.services.consent import consent_record
from palermo.cases.services.notes import case_note_add
from palermo.cases.services.person import (
    clean_alias,
    clean_country,
    clean_language,
    clean_person_changes,
    derive_person,
    person_is_child,
    today,
)
from palermo.cases.services.timeline import Entry, entry_add
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.links import link_to

logger = logging.getLogger(__name__)

# Who refers: the first responder, and a case manager who meets a person first (an NGO's outreach worker).
INTAKE_ROLES = frozenset({Role.FIRST_RESPONDER, Role.CASE_MANAGER})
MAX_DRAFT_CHARACTERS = 100_000
MAX_DRAFT_VALUE = 20_000
MAX_CONTACT_DETAILS = 5000
# Timeline entries alone: the case's opening is audited as a whole.
REFERRAL_RECEIVED = Entry(gettext_noop("Referral received"), "", Tier.METADATA, EventKind.INTAKE)
CHILD_REFERRED = Entry(
    gettext_noop("A child referred without consent: the referral is a protection duty"),
    "",
    Tier.METADATA,
    EventKind.CONSENT,
)
CONTACT_NOTE = gettext_noop("How the contact happened: %(channel)s")


class ContactChannel:
    """How the first contact happened: a closed list statistics can count; the story goes in the note."""

    CHOICES: tuple[tuple[str, Any], ...] = (
        ("police", _("Police operation or patrol")),
        ("labour_inspection", _("Labour inspection")),
        ("border", _("Border or migration control")),
        ("outreach", _("Outreach or drop-in centre")),
        ("hotline", _("Hotline")),
        ("self_referral", _("The person came forward")),
        ("health_social", _("Health or social services")),
        ("third_party", _("Reported by a third party")),
        ("other", _("Other")),
    )
    VALUES = frozenset(value for value, _label in CHOICES)

    @classmethod
    def label(cls, value: str) -> str:
        return str(dict(cls.CHOICES).get(value, value))


# --- the identification authority --------------------------------------------------------------------------


def identification_agencies() -> QuerySet[Agency]:
    """Active agencies with at least one active identification-authority member: the referral's recipients."""
    members = Membership.objects.filter(
        agency=OuterRef("pk"), role=Role.IDENTIFICATION_AUTHORITY, is_active=True, user__is_active=True
    )
    return Agency.objects.filter(Exists(members), is_active=True).order_by("name", "pk")


# --- drafts ------------------------------------------------------------------------------------------------


def clean_draft_data(data: Any) -> dict[str, str | list[str]]:
    """The form's data as stored in a draft: a flat mapping of field names to texts or lists of texts."""
    if not isinstance(data, dict):
        raise ValidationError(_("A draft is a set of form fields."), code="draft_shape")
    cleaned: dict[str, str | list[str]] = {}
    for name, value in data.items():
        if not isinstance(name, str) or not name.isidentifier() or len(name) > 64:
            raise ValidationError(_("A draft field has an invalid name."), code="draft_field")
        if isinstance(value, list):
            if not all(isinstance(item, str) and len(item) <= MAX_DRAFT_VALUE for item in value):
                raise ValidationError(_("A draft field holds an invalid value."), code="draft_value")
            cleaned[name] = list(value)
        elif isinstance(value, str | int | bool) or value is None:
            text = "" if value is None else str(value)
            if len(text) > MAX_DRAFT_VALUE:
                raise ValidationError(_("A draft field is too long."), code="draft_value")
            cleaned[name] = text
        else:
            raise ValidationError(_("A draft field holds an invalid value."), code="draft_value")
    if len(json.dumps(cleaned, ensure_ascii=False)) > MAX_DRAFT_CHARACTERS:
        raise ValidationError(_("The draft is too large."), code="draft_size")
    if not any(value for value in cleaned.values()):
        # An empty form is no draft: it would only fill My drafts with blank entries.
        raise ValidationError(
            _("There is nothing to save yet. Answer at least one question to save a draft."),
            code="draft_empty",
        )
    return cleaned


def draft_data(draft: IntakeDraft) -> dict[str, Any]:
    """The saved form data of a draft (empty once submitted)."""
    if not draft.content:
        return {}
    loaded = json.loads(draft.content)
    return loaded if isinstance(loaded, dict) else {}


def may_refer(membership: Membership) -> bool:
    return membership.role in INTAKE_ROLES


def drafts_of(membership: Membership) -> QuerySet[IntakeDraft]:
    """The user's unsubmitted drafts, for the agency they act for now, most recently saved first."""
    return IntakeDraft.objects.filter(
        created_by_id=membership.user_id, agency_id=membership.agency_id, submitted_case__isnull=True
    ).order_by("-updated_at", "-pk")


def draft_for(membership: Membership, draft_id: int) -> IntakeDraft:
    """One of the user's own unsubmitted drafts; Http404 for anyone else's, a submitted one, or none."""
    draft = drafts_of(membership).filter(pk=draft_id).first() if may_refer(membership) else None
    if draft is None:
        raise Http404
    return draft


def _check_owner(membership: Membership, draft: IntakeDraft) -> None:
    if draft.created_by_id != membership.user_id or draft.agency_id != membership.agency_id:
        raise PermissionDenied("a draft is its author's own")
    if not may_refer(membership):
        raise PermissionDenied("this role does not refer")


def _audit_draft(actor: User, membership: Membership, action: str, draft_id: int) -> None:
    audit_record(
        actor=actor,
        membership=membership,
        action=action,
        tier=Tier.NARRATIVE,  # the draft's content is kept at T4 until it becomes a case
        object_type="intake_draft",
        object_id=str(draft_id),
    )


def intake_draft_create(*, actor: User, membership: Membership, data: dict[str, Any]) -> IntakeDraft:
    if not may_refer(membership) or membership.user_id != actor.pk:
        raise PermissionDenied("this role does not refer")
    content = json.dumps(clean_draft_data(data), ensure_ascii=False)
    with transaction.atomic():
        draft = IntakeDraft(created_by=actor, agency_id=membership.agency_id, content=content)
        draft.save()
        _audit_draft(actor, membership, "intake.draft_create", draft.pk)
    return draft


def intake_draft_save(
    *, actor: User, membership: Membership, draft: IntakeDraft, data: dict[str, Any], expected_version: int
) -> IntakeDraft:
    """Replace the draft's content; StaleEdit when another save came first, ValidationError once submitted."""
    _check_owner(membership, draft)
    content = json.dumps(clean_draft_data(data), ensure_ascii=False)
    with transaction.atomic():
        locked = lock_for_edit(IntakeDraft, pk=draft.pk, expected_version=expected_version)
        if locked.submitted_case_id is not None:
            raise ValidationError(_("This referral has already been submitted."), code="submitted")
        locked.content = content
        bump_version(locked)
        locked.save(update_fields=["content", "version", "updated_at"])
        _audit_draft(actor, membership, "intake.draft_save", locked.pk)
    return locked


def intake_draft_discard(*, actor: User, membership: Membership, draft: IntakeDraft) -> None:
    """Delete an unsubmitted draft: it is the responder's working paper, not part of any record."""
    _check_owner(membership, draft)
    with transaction.atomic():
        locked = IntakeDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.submitted_case_id is not None:
            raise ValidationError(_("This referral has already been submitted."), code="submitted")
        draft_id = locked.pk
        locked.delete()
        _audit_draft(actor, membership, "intake.draft_discard", draft_id)


# --- submission --------------------------------------------------------------------------------------------


@dataclass
class Referral:
    """What a first contact can know, validated by the form (or the API serializer) before submission."""

    given_names: str
    identification_agency: Agency
    consent_given: bool
    consent_given_by: str
    consent_language: str
    family_names: str = ""
    given_names_latin: str = ""
    family_names_latin: str = ""
    aliases: list[str] = field(default_factory=list)
    birth_date: datetime.date | None = None
    birth_date_precision: str = BirthDatePrecision.EXACT
    age_uncertain: bool = False
    believed_child: bool = False
    gender: str = Gender.UNKNOWN
    citizenships: list[str] = field(default_factory=list)
    # (ISO 639-2 code, needs an interpreter in it)
    languages: list[tuple[str, bool]] = field(default_factory=list)
    phone: str = ""
    current_location: str = ""
    contact_channel: str = "other"
    contact_details: str = ""
    exploitation_forms: list[str] = field(default_factory=list)


def _clean_referral(referral: Referral, on: datetime.date) -> tuple[dict[str, Any], Person]:
    """Validated person fields, and an unsaved Person holding them (to decide whether this is a child)."""
    person_fields = clean_person_changes(
        {
            "given_names": referral.given_names,
            "family_names": referral.family_names,
            "given_names_latin": referral.given_names_latin,
            "family_names_latin": referral.family_names_latin,
            "birth_date": referral.birth_date,
            "birth_date_precision": referral.birth_date_precision,
            "age_uncertain": referral.age_uncertain,
            "believed_child": referral.believed_child,
            "gender": referral.gender,
            "phone": referral.phone,
            "current_address": referral.current_location,
        },
        on=on,
    )
    return person_fields, Person(**person_fields)


def _check_referral(referral: Referral, child: bool) -> None:
    """Refusals that concern the referral as a whole, each tied to the field a person would correct.

    A child is referred at once, whoever consents (CETS 197 art. 10(4), art. 12(7)): the referral is a
    protection duty. A guardian's consent given already is recorded; the person's own "yes" is not a consent
    on a child's behalf and is not asked for. Consent for what follows comes from the guardian, or until one
    is appointed from the temporary representative (palermo.cases.services.representation)."""
    if not child and not referral.consent_given:
        raise ValidationError(
            {
                "consent_given": _(
                    "An adult's referral needs the person's consent. Without it, save the draft and do not "
                    "submit, or record an anonymous notification."
                )
            }
        )
    if referral.consent_given and referral.consent_given_by not in ConsentGiver.values:
        raise ValidationError({"consent_given_by": _("Say who gave the consent.")})
    if not child and referral.consent_given_by == ConsentGiver.TEMPORARY:
        raise ValidationError({"consent_given_by": _("Only a child has a temporary representative.")})
    if not identification_agencies().filter(pk=referral.identification_agency.pk).exists():
        raise ValidationError({"identification_agency": _("Choose an identification authority.")})
    try:
        check_new_forms(referral.exploitation_forms)
    except ValidationError as refused:
        raise ValidationError({"exploitation_forms": refused.messages}) from None
    if referral.contact_channel not in ContactChannel.VALUES:
        raise ValidationError({"contact_channel": _("Choose how the contact happened.")})
    if len(referral.contact_details) > MAX_CONTACT_DETAILS:
        raise ValidationError(
            {"contact_details": _("At most %(limit)d characters.") % {"limit": MAX_CONTACT_DETAILS}}
        )


def _children_of_the_person(person: Person, referral: Referral) -> None:
    """Aliases, citizenships and languages of a newly saved person."""
    aliases = list(dict.fromkeys(clean_alias(name) for name in referral.aliases if name.strip()))
    PersonAlias.objects.bulk_create([PersonAlias(person=person, name=name) for name in aliases])
    countries = list(dict.fromkeys(clean_country(code, "citizenships") for code in referral.citizenships))
    PersonCitizenship.objects.bulk_create(
        [PersonCitizenship(person=person, country=code) for code in countries]
    )
    languages: dict[str, bool] = {}
    for code, needs_interpreter in referral.languages:
        language = clean_language(code, "languages")
        languages[language] = languages.get(language, False) or bool(needs_interpreter)
    PersonLanguage.objects.bulk_create(
        [
            PersonLanguage(person=person, language=code, needs_interpreter=need)
            for code, need in languages.items()
        ]
    )


def _contact_note_body(referral: Referral) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        heading = gettext(CONTACT_NOTE) % {"channel": ContactChannel.label(referral.contact_channel)}
    details = referral.contact_details.strip()
    return f"{heading}\n\n{details}" if details else heading


def intake_submit(
    *,
    actor: User,
    membership: Membership,
    referral: Referral,
    draft: IntakeDraft | None = None,
    expected_version: int | None = None,
) -> Case:
    """Open the case from a referral, all or nothing. Raises PermissionDenied (not a referring role, or not
    the draft's author), ValidationError (tied to fields; no consent is one), StaleEdit (the draft was saved
    elsewhere since it was read)."""
    if not may_refer(membership) or membership.user_id != actor.pk:
        raise PermissionDenied("this role does not refer")
    if draft is not None:
        _check_owner(membership, draft)
    on = today()
    person_fields, unsaved = _clean_referral(referral, on)
    child = person_is_child(unsaved, on)
    _check_referral(referral, child)
    with transaction.atomic():
        if draft is not None:
            draft = lock_for_edit(IntakeDraft, pk=draft.pk, expected_version=expected_version or 0)
            if draft.submitted_case_id is not None:
                raise ValidationError(_("This referral has already been submitted."), code="submitted")
        case = Case(lead_agency_id=membership.agency_id, opened_by=actor, is_child=child)
        case.save()
        person = Person(case=case, **person_fields, age_group=AgeGroup.UNKNOWN)
        derive_person(person, on)
        person.save()
        _children_of_the_person(person, referral)
        identity_changed([person.pk])
        CaseExploitation.objects.bulk_create(
            [CaseExploitation(case=case, form=form) for form in sorted(set(referral.exploitation_forms))]
        )
        case_team_open(
            actor=actor,
            membership=membership,
            case=case,
            agencies=[membership.agency, referral.identification_agency],
            # A child's case starts on the narrowest team: the referring person alone for their agency.
            opener_only=child,
        )
        entry_add(REFERRAL_RECEIVED, case, actor=actor, membership=membership)
        # An adult's consent, or a child's guardian's; a child referred without it is referred all the same.
        if not child or (referral.consent_given and referral.consent_given_by == ConsentGiver.GUARDIAN):
            consent_record(
                actor=actor,
                membership=membership,
                case=case,
                purpose=ConsentPurpose.REFERRAL,
                given_by=referral.consent_given_by,
                language=referral.consent_language,
                recipient_agency=referral.identification_agency,
                check_access=False,  # decided above: the referring role, on the case it opens
            )
        else:
            entry_add(CHILD_REFERRED, case, actor=actor, membership=membership)
        case_note_add(
            actor=actor,
            membership=membership,
            case=case,
            body=_contact_note_body(referral),
            tier=Tier.NARRATIVE,
        )
        # The areas' part of the opening (identification's presumed victim decision deadline, due from the
        # referral, so it exists from the first moment; a child's deadlines...), in this transaction.
        case_opened(case)
        if draft is not None:
            draft.submitted_case, draft.content = case, ""
            bump_version(draft)
            draft.save(update_fields=["submitted_case", "content", "version", "updated_at"])
        audit_record(
            actor=actor,
            membership=membership,
            action="intake.submit",
            tier=Tier.LOCATION if person.current_address else Tier.IDENTITY,
            case=case,
            object_type="case",
            object_id=case.reference,
            reason=f"draft {draft.pk}" if draft is not None else "",
        )
        case_id, agency_id = case.pk, referral.identification_agency.pk
        transaction.on_commit(lambda: notify_identification_authority.enqueue(case_id, agency_id))
    return case


# --- notification ------------------------------------------------------------------------------------------


CASE_REFERRED_NOTICE = notice_kind(
    "case.referred", _("A new case was referred to your agency for identification: %(reference)s.")
)


def identification_recipients(agency_id: int, *, with_email: bool = True) -> QuerySet[User]:
    users = User.objects.filter(
        memberships__agency_id=agency_id,
        memberships__role=Role.IDENTIFICATION_AUTHORITY,
        memberships__is_active=True,
        is_active=True,
    )
    return (users.exclude(email="") if with_email else users).distinct().order_by("pk")


def referral_message(user: User, reference: str) -> EmailMessage:
    """The email to one member, in their language: the reference and where to open it, nothing else."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = gettext("New referral: %(reference)s") % {"reference": reference}
        body = gettext(
            "A new referral has been made to your agency for a decision on identification.\n\n"
            "Case reference: %(reference)s\n"
            "Open it in Palermo: %(path)s\n\n"
            "This message holds no personal data; the record is in Palermo only."
        ) % {"reference": reference, "path": link_to("cases:detail", reference)}
    return EmailMessage(subject=subject, body=body, to=[user.email])


@task()
def notify_identification_authority(case_id: int, agency_id: int) -> int:
    """Email the identification authority's members of `agency_id` that case `case_id` was referred to them.
    Arguments are ids only (no personal data in task arguments); returns the number of emails sent."""
    reference = Case.objects.filter(pk=case_id).values_list("reference", flat=True).first()
    if reference is None:
        return 0
    notices_send(
        user_ids=identification_recipients(agency_id, with_email=False).values_list("pk", flat=True),
        kind=CASE_REFERRED_NOTICE,
        reference=reference,
        path=reverse("cases:detail", args=[reference]),
        email=False,  # the email below, in the recipient's language
    )
    messages = [referral_message(user, reference) for user in identification_recipients(agency_id)]
    if not messages:
        logger.warning(
            "referral %s: no identification authority member with an email in agency %s", case_id, agency_id
        )
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
