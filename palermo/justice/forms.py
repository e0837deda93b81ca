"""Forms of the justice pages. Each form's element ids carry its own prefix (and the record's id for a form on
a row), so every label on a page points at its own control; the services check everything again."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from palermo.core.forms import StyledForm, day_field, language_field, long_text_field, version_field
from palermo.core.web import form_values
from palermo.justice.models import (
    AdjournmentReason,
    Answer,
    Charge,
    CompensationRoute,
    HearingMeasureKind,
    MeasureDecision,
    MeasureKind,
    MeasureStatus,
    OffenceKind,
    OffenceStatus,
    PartyRole,
    ProceedingKind,
    ProceedingOutcome,
    RequestOutcome,
    RiskFactor,
    RiskLevel,
    RiskTrigger,
    Stage,
    StatementKind,
)
from palermo.justice.selectors import proceeding_numbered
from palermo.justice.services.common import NAME_MAX_LENGTH, TEXT_MAX_LENGTH
from palermo.justice.services.proceedings import LANGUAGE_CODES

LOCATION_HELP = _("Where the threat or the person's relatives are: only the protection officer reads it.")
T4_HELP = _("The person's own words: only those allowed to read their story on this case will see it.")


def _name(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=NAME_MAX_LENGTH, required=required)


def _languages() -> list[tuple[str, str]]:
    from django.utils.translation import get_language_info

    names = []
    for code in sorted(LANGUAGE_CODES):
        try:
            names.append((code, get_language_info(code)["name_local"]))
        except KeyError:
            names.append((code, code))
    return names


def _amount(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=0, required=required)


class JusticeForm(StyledForm):
    slug = "justice"

    def __init__(self, *args: Any, row: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.slug}{row or ''}_%s")
        super().__init__(*args, **kwargs)
        self.row = row  # the record a form on a row changes: a page shows it sent back on that row only

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments: the fields bear the service's names, and the version the form
        was read at is the `expected_version`."""
        data = self.cleaned_data
        names = [name for name in self.fields if name != "version"]
        return form_values(data, *names, version="version" in self.fields)


class EditForm(JusticeForm):
    """A change to one record, sent with the version it was read at; `prefilled` names the record's fields
    the form shows as they are now."""

    prefilled: ClassVar[tuple[str, ...]] = ()
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = self.fields.pop("version")  # after the fields shown

    @classmethod
    def of(cls, record: Any, *, alone: bool = False) -> Self:
        """The form for `record` (its element ids carry the record's id, unless the page shows the form
        `alone`, for one record only)."""
        initial = {name: getattr(record, name) for name in (*cls.prefilled, "version")}
        return cls(initial=initial, row=None if alone else record.pk)


class RiskForm(JusticeForm):
    slug = "risk"
    trigger = forms.ChoiceField(label=_("Why assess now"), choices=RiskTrigger.choices)
    overall_level = forms.ChoiceField(
        label=_("Overall risk"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    assessed_on = day_field(_("Day of the assessment"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in RiskFactor:
            self.fields[f"{factor.value}_level"] = forms.ChoiceField(
                label=factor.label, choices=[("", _("Not rated")), *RiskLevel.choices], required=False
            )
            self.fields[f"{factor.value}_reasons"] = long_text_field(
                _("Reasons and sources"), max_length=TEXT_MAX_LENGTH, required=False, help_text=LOCATION_HELP
            )

    def values(self) -> dict[str, Any]:
        values = form_values(self.cleaned_data, "trigger", "overall_level", "assessed_on")
        return {**values, "ratings": self.ratings()}

    def ratings(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {
                "factor": factor.value,
                "level": data[f"{factor.value}_level"],
                "reasons": data[f"{factor.value}_reasons"],
            }
            for factor in RiskFactor
            if data.get(f"{factor.value}_level")
        ]


class ProtectionMeasureForm(JusticeForm):
    slug = "plan"
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    carried_out_by = _name(_("Carried out by"))
    starts_on = day_field(_("Starts"))
    ends_on = day_field(_("Ends"), required=False)
    where = forms.CharField(
        label=_("Where (secret address)"), max_length=300, required=False, help_text=LOCATION_HELP
    )


class MeasureStatusForm(EditForm):
    slug = "planstatus"
    prefilled = ("status",)
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    ends_on = day_field(_("Ended on"), required=False)


class AuthorityLanguageForm(JusticeForm):
    """A form naming the language of a court, an authority or a prosecutor (`language`): its list is set
    after the form's styling, so that it has no empty choice, and preselects the deployment's language where
    `language_preselected`."""

    language_preselected = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _languages()  # type: ignore[attr-defined]
        if self.language_preselected:
            self.fields["language"].initial = settings.LANGUAGE_CODE


class ProceedingForm(AuthorityLanguageForm):
    slug = "proceeding"
    language_preselected = True
    kind = forms.ChoiceField(label=_("Kind"), choices=ProceedingKind.choices)
    authority = _name(_("Court or authority"))
    language = forms.ChoiceField(label=_("Language of the court or authority"), choices=())
    file_number = forms.CharField(label=_("File number"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("The person's role"), choices=PartyRole.choices)
    charges = forms.MultipleChoiceField(
        label=_("Charges"), choices=Charge.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    opened_on = day_field(_("Opened"), required=False)
    identity_withheld = forms.BooleanField(label=_("The person's identity is not disclosed"), required=False)
    pseudonym = forms.CharField(
        label=_("Pseudonym in court documents"),
        max_length=100,
        required=False,
        help_text=_(
            "Required when the identity is not disclosed: court documents never carry the real name."
        ),
    )


class JoinForm(JusticeForm):
    slug = "join"
    proceeding = forms.IntegerField(
        label=_("Number of the proceedings"),
        min_value=1,
        help_text=_("As the proceedings' page on the other case shows it."),
    )
    role = forms.ChoiceField(label=_("The person's role"), choices=PartyRole.choices)
    identity_withheld = forms.BooleanField(label=_("The person's identity is not disclosed"), required=False)
    pseudonym = forms.CharField(label=_("Pseudonym in court documents"), max_length=100, required=False)

    def values(self) -> dict[str, Any]:
        """The proceedings by the number given: unknown ones are the form's error."""
        proceeding = proceeding_numbered(self.cleaned_data["proceeding"])
        if proceeding is None:
            raise forms.ValidationError(
                {"proceeding": _("No proceedings with this number that you work on.")}
            )
        return {**super().values(), "proceeding": proceeding}


class ProceedingUpdateForm(EditForm):
    slug = "stage"
    prefilled = ("stage", "outcome", "sentence")
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ProceedingOutcome.choices)
    sentence = forms.CharField(label=_("Sentence"), max_length=300, required=False)


class PartyForm(EditForm):
    slug = "party"
    prefilled = ("role", "identity_withheld")
    role = forms.ChoiceField(label=_("The person's role"), choices=PartyRole.choices)
    identity_withheld = forms.BooleanField(label=_("The person's identity is not disclosed"), required=False)
    pseudonym = forms.CharField(label=_("Pseudonym in court documents"), max_length=100, required=False)


class HearingForm(JusticeForm):
    slug = "hearing"
    held_on = day_field(_("Day of the hearing"))
    court = _name(_("Court"))
    purpose = _name(_("Purpose"), required=False)


class HeldForm(EditForm):
    slug = "held"


class AdjournForm(EditForm):
    slug = "adjourn"
    to_day = day_field(_("New day of the hearing"))
    reason = forms.ChoiceField(
        label=_("Why was it put off?"), choices=[("", _("Choose a reason")), *AdjournmentReason.choices]
    )


class CancelHearingForm(EditForm):
    slug = "cancel"


class HearingMeasureForm(JusticeForm):
    slug = "ask"
    kind = forms.ChoiceField(label=_("Protective measure to ask for"), choices=HearingMeasureKind.choices)


HONOURED = [("", _("Not known yet")), ("yes", _("Honoured")), ("no", _("Not honoured"))]


class MeasureDecisionForm(EditForm):
    slug = "decide"
    prefilled = ("decision",)
    decision = forms.ChoiceField(label=_("The court's decision"), choices=MeasureDecision.choices)
    honoured = forms.ChoiceField(label=_("At the hearing"), choices=HONOURED, required=False)

    def values(self) -> dict[str, Any]:
        return {**super().values(), "honoured": self.honoured_value()}

    def honoured_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("honoured") or "")


class StatementForm(JusticeForm):
    slug = "statement"
    kind = forms.ChoiceField(label=_("Kind"), choices=StatementKind.choices)
    taken_on = day_field(_("Day"))
    taken_by = _name(_("Taken by (authority)"))
    video_recorded = forms.BooleanField(label=_("Video recorded"), required=False)


ANSWERS = Answer.choices


class ChoicesForm(JusticeForm):
    slug = "choices"
    chosen_on = day_field(_("Day"), required=False)
    language = language_field(_("Language the person was informed in"), required=True)
    legal_information_given = forms.BooleanField(label=_("Legal information given"), required=False)
    lawyer_assigned = forms.BooleanField(label=_("Legal assistance assigned"), required=False)
    lawyer_free = forms.BooleanField(label=_("Free of charge"), required=False)
    lawyer_name = _name(_("Lawyer"), required=False)
    cooperates = forms.ChoiceField(label=_("Chooses to cooperate with the authorities"), choices=ANSWERS)
    claims_compensation = forms.ChoiceField(label=_("Chooses to claim compensation"), choices=ANSWERS)
    testifies = forms.ChoiceField(label=_("Chooses to testify"), choices=ANSWERS)
    notes = long_text_field(
        _("What the person said"), max_length=TEXT_MAX_LENGTH, required=False, help_text=T4_HELP
    )


class ClaimForm(JusticeForm):
    slug = "claim"
    route = forms.ChoiceField(label=_("Claimed from"), choices=CompensationRoute.choices)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, initial="EUR")
    claimed_amount = _amount(_("Amount claimed"))
    claimed_on = day_field(_("Claimed on"), required=False)


class AwardForm(EditForm):
    slug = "award"
    awarded_amount = _amount(_("Amount awarded"))
    awarded_on = day_field(_("Awarded on"), required=False)


class PaymentForm(EditForm):
    slug = "payment"
    amount = _amount(_("Amount paid"))
    paid_on = day_field(_("Paid on"), required=False)


class OffenceForm(JusticeForm):
    slug = "offence"
    kind = forms.ChoiceField(label=_("Offence"), choices=OffenceKind.choices)
    status = forms.ChoiceField(label=_("Where it stands"), choices=OffenceStatus.choices)
    committed_on = day_field(_("Committed on"), required=False)
    details = long_text_field(_("The offence"), max_length=TEXT_MAX_LENGTH, required=False)
    link = long_text_field(_("How it is linked to being trafficked"), max_length=TEXT_MAX_LENGTH)


class RequestForm(AuthorityLanguageForm):
    slug = "request"
    prosecutor = _name(_("Prosecutor's office"))
    language = forms.ChoiceField(label=_("Language of the letter (the prosecutor's)"), choices=())
    requested_on = day_field(_("Requested on"), required=False)


class OutcomeForm(EditForm):
    slug = "outcome"
    prefilled = ("outcome",)
    outcome = forms.ChoiceField(label=_("The prosecutor's answer"), choices=RequestOutcome.choices)
    outcome_on = day_field(_("Answered on"), required=False)


class DetentionForm(JusticeForm):
    slug = "detention"
    authority = _name(_("Detaining authority"))
    starts_on = day_field(_("Detained from"))


class ReleaseForm(EditForm):
    slug = "release"
    ends_on = day_field(_("Released on"))
