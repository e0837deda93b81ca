"""What a screening screened with: whether the indicator instruments installed fit the case's forms of
exploitation, said plainly on the screening pages and in the API.

Palermo ships one instrument, the ILO 2009 labour exploitation list. Screening a case of sexual exploitation,
forced marriage or organ removal with it is possible (the evaluation is advice, never the decision), but the
reader must know that the indicators were written for another form. Operators install other lists on the
Indicator lists page, or with `palermo import_instrument` (docs/instruments.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from palermo.cases.reference import ExploitationForm
from palermo.core.lists import listed
from palermo.identification.models import ExploitationType, Instrument

# The forms of exploitation (palermo.cases.reference) an instrument of each type was written for. The ILO
# labour list covers work: forced and child labour and servitude (domestic servitude is work in a household).
# Begging, criminal activities, marriage, adoption, surrogacy and organ removal need lists of their own.
FORMS_OF_TYPE: dict[str, frozenset[str]] = {
    ExploitationType.LABOUR: frozenset(
        {ExploitationForm.FORCED_LABOUR, ExploitationForm.CHILD_LABOUR, ExploitationForm.SERVITUDE}
    ),
    ExploitationType.SEXUAL: frozenset({ExploitationForm.SEXUAL_EXPLOITATION}),
    ExploitationType.GENERAL: frozenset(form.value for form in ExploitationForm),
}


def covered_by(instrument_type: str, form: str) -> bool:
    return form in FORMS_OF_TYPE.get(instrument_type, frozenset())


def form_labels(forms: Iterable[str]) -> str:
    return listed(ExploitationForm(form).label for form in forms)


@dataclass(frozen=True)
class Coverage:
    """How a screening's instrument fits the case: the case's forms it was not written for, and those no
    installed instrument covers."""

    instrument: Instrument
    case_forms: tuple[str, ...]
    not_covered: tuple[str, ...]
    none_installed: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return not self.not_covered

    def message(self) -> str:
        """The plain words of the page and of the API's `coverage.message`; empty when it fits."""
        if self.fits:
            return ""
        used = format_lazy(
            _(
                "This screening used {instrument} ({version}), a list of indicators of {kind}. It was not "
                "written for {forms}, recorded on this case: read its evaluation with that in mind."
            ),
            instrument=self.instrument.name,
            version=self.instrument.version,
            kind=str(self.instrument.get_exploitation_type_display()).lower(),
            forms=form_labels(self.not_covered),
        )
        if not self.none_installed:
            return str(used)
        return f"{used} {missing_message(self.none_installed)}"


def missing_message(forms: Iterable[str]) -> str:
    return str(
        format_lazy(
            _(
                "No indicator list for {forms} is installed here; the system administrator can install one "
                "from the Indicator lists page."
            ),
            forms=form_labels(forms),
        )
    )


def forms_without_instrument(case_forms: Iterable[str], instruments: Iterable[Instrument]) -> tuple[str, ...]:
    """The case's forms that no installed instrument was written for."""
    types = {instrument.exploitation_type for instrument in instruments}
    return tuple(form for form in case_forms if not any(covered_by(kind, form) for kind in types))


def coverage(instrument: Instrument, case_forms: Iterable[str], installed: Iterable[Instrument]) -> Coverage:
    forms = tuple(sorted(case_forms))
    return Coverage(
        instrument=instrument,
        case_forms=forms,
        not_covered=tuple(form for form in forms if not covered_by(instrument.exploitation_type, form)),
        none_installed=forms_without_instrument(forms, installed),
    )
