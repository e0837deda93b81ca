"""An export in the Counter Trafficking Data Collaborative's published variables, k-anonymised as the CTDC
publishes its global dataset: one row per registered person, and every combination of the quasi-identifiers
(year of registration, gender, age band, majority status, citizenship) shared by at least k rows.

Means of control and the relationship to the recruiter are the CTDC's `meansOfControl*` and
`recruiterRelation*` columns, mapped from the HTCDS values the case records (`CONTROL`, `RELATION`). No CTDC
source file is in the project's domain folder: every column name here is written from the CTDC's published
codebook, not checked against a file (docs/exchange.md says which names are verified).

k is the rulebook's `statistics.minimum_cell` (11 by default, the CTDC's own k). A row in a rarer combination
loses its citizenship first, then its age band (its majority status stays); a row still rarer is left out.
Only T1 metadata is read (no name, birth date or reference leaves the query); the export is audited.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence

import pycountry
from django.core.exceptions import PermissionDenied
from django.db.models.functions import ExtractYear

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import AgeGroup, CaseControlMeans, CaseExploitation, Person, PersonCitizenship
from palermo.cases.reference import ExploitationForm, Gender
from palermo.core.rulebooks import rulebook
from palermo.exchange.roles import export_recorded, may_export_aggregates

# HTCDS vic_MethodsOfControl value -> the CTDC's column (several HTCDS threats share the CTDC's one).
CONTROL: dict[str, str] = {
    "DebtBondage": "meansOfControlDebtBondage",
    "TakesEarnings": "meansOfControlTakesEarnings",
    "RestrictsFinancialAccess": "meansOfControlRestrictsFinancialAccess",
    "PhysicalThreats": "meansOfControlThreats",
    "ThreatensChildrenFamily": "meansOfControlThreats",
    "PsychologicalAbuse": "meansOfControlPsychologicalAbuse",
    "PhysicalAbuse": "meansOfControlPhysicalAbuse",
    "SexualAbuse": "meansOfControlSexualAbuse",
    "FalsePromises": "meansOfControlFalsePromises",
    "PsychoactiveSubstance": "meansOfControlPsychoactiveSubstances",
    "RestrictsMedicalCare": "meansOfControlRestrictsMedicalCare",
    "ExcessiveWorkingHours": "meansOfControlExcessiveWorkingHours",
    "ThreatsLawEnforcement": "meansOfControlThreatOfLawEnforcement",
    "WithholdsNecessities": "meansOfControlWithholdsNecessities",
    "WithholdsDocuments": "meansOfControlWithholdsDocuments",
    "Other": "meansOfControlOther",
}
CONTROL_NONE = "meansOfControlNotSpecified"
CONTROL_COLUMNS = (*dict.fromkeys(CONTROL.values()), CONTROL_NONE, "meansOfControlConcatenated")
# HTCDS vic_RelationshipToTrafficker value -> the CTDC's column; none recorded: recruiterRelationUnknown.
RELATION: dict[str, str] = {
    "Familial": "recruiterRelationFamily",
    "Acquainted": "recruiterRelationFriend",
    "Unaquainted": "recruiterRelationOther",
}
RELATION_NONE = "recruiterRelationUnknown"
RELATION_COLUMNS = (*RELATION.values(), RELATION_NONE)
COLUMNS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfExploitConcatenated",
    *CONTROL_COLUMNS,
    *RELATION_COLUMNS,
)
QUASI_IDENTIFIERS = ("yearOfRegistration", "gender", "ageBroad", "majorityStatus", "citizenship")
# Generalised in this order until the row's combination is shared by k rows.
GENERALISED = ("citizenship", "ageBroad")
GENDERS: dict[str, str] = {
    Gender.FEMININE: "Female",
    Gender.MASCULINE: "Male",
    Gender.TRANSGENDER_FEMININE: "Transgender/NonConforming",
    Gender.TRANSGENDER_MASCULINE: "Transgender/NonConforming",
    Gender.NON_CONFORMING: "Transgender/NonConforming",
}
CHILD_BANDS = frozenset({AgeGroup.AGE_0_8, AgeGroup.AGE_9_17})
LABELS: dict[str, str] = {
    ExploitationForm.FORCED_LABOUR: "Forced labour",
    ExploitationForm.SEXUAL_EXPLOITATION: "Sexual exploitation",
}
Row = dict[str, str]


def _alpha2(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country is not None else ""


def _control(means: set[str]) -> Row:
    """The CTDC's means-of-control columns for the HTCDS values recorded on a case."""
    found = {CONTROL[m] for m in means if m in CONTROL}
    row = {name: "1" if name in found else "0" for name in CONTROL_COLUMNS[:-2]}
    row[CONTROL_NONE] = "0" if found else "1"
    short = sorted(name.removeprefix("meansOfControl") for name in found)
    row["meansOfControlConcatenated"] = ";".join(short)
    return row


def _relation(value: str) -> Row:
    found = RELATION.get(value, RELATION_NONE)
    return {name: "1" if name == found else "0" for name in RELATION_COLUMNS}


def registered_rows() -> list[Row]:
    """Every registered person as a CTDC row, before k-anonymisation (four queries, no per-row reads)."""
    persons = list(
        Person.objects.annotate(year=ExtractYear("case__opened_at"))
        .values(
            "pk",
            "case_id",
            "year",
            "gender",
            "age_group",
            "case__is_child",
            "case__child_when_exploited",
            "case__recruiter_relationship",
        )
        .order_by("pk")
    )
    citizenship: dict[int, str] = {}
    for person_id, country in PersonCitizenship.objects.order_by("country").values_list(
        "person_id", "country"
    ):
        citizenship.setdefault(person_id, country)
    forms: dict[int, set[str]] = {}
    for case_id, form in CaseExploitation.objects.values_list("case_id", "form"):
        forms.setdefault(case_id, set()).add(form)
    control: dict[int, set[str]] = {}
    for case_id, means in CaseControlMeans.objects.values_list("case_id", "means"):
        control.setdefault(case_id, set()).add(means)
    rows = []
    for p in persons:
        kinds = forms.get(p["case_id"], set())
        child = p["case__is_child"] or p["case__child_when_exploited"] or p["age_group"] in CHILD_BANDS
        other = kinds - {ExploitationForm.FORCED_LABOUR, ExploitationForm.SEXUAL_EXPLOITATION}
        rows.append(
            {
                "yearOfRegistration": str(p["year"]),
                "gender": GENDERS.get(p["gender"], ""),
                "ageBroad": "" if p["age_group"] == AgeGroup.UNKNOWN else p["age_group"].replace("-", "--"),
                "majorityStatus": "Minor" if child else "Adult",
                "citizenship": _alpha2(citizenship.get(p["pk"], "")),
                "isForcedLabour": "1" if ExploitationForm.FORCED_LABOUR in kinds else "0",
                "isSexualExploit": "1" if ExploitationForm.SEXUAL_EXPLOITATION in kinds else "0",
                "isOtherExploit": "1" if other else "0",
                "typeOfExploitConcatenated": ";".join(
                    sorted(LABELS.get(k, "Other") for k in kinds if k in LABELS)
                    + (["Other"] if other else [])
                ),
                **_control(control.get(p["case_id"], set())),
                **_relation(p["case__recruiter_relationship"]),
            }
        )
    return rows


def _key(row: Row) -> tuple[str, ...]:
    return tuple(row[name] for name in QUASI_IDENTIFIERS)


def k_anonymise(rows: Sequence[Row], k: int) -> list[Row]:
    """Rows whose quasi-identifiers every combination of which is shared by at least k rows."""
    rows = [dict(row) for row in rows]
    for name in (None, *GENERALISED):
        sizes = Counter(_key(row) for row in rows)
        rare = [row for row in rows if sizes[_key(row)] < k]
        if not rare:
            return rows
        if name is not None:
            for row in rare:
                row[name] = ""
    sizes = Counter(_key(row) for row in rows)
    return [row for row in rows if sizes[_key(row)] >= k]


def as_csv(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def ctdc_export(*, actor: User, membership: Membership) -> str:
    """The k-anonymised CTDC dataset as CSV (the rapporteur's and the identification authority's); audited."""
    if not may_export_aggregates(membership) or membership.user_id != actor.pk:
        raise PermissionDenied("this role does not export")
    k = rulebook().statistics.minimum_cell
    rows = k_anonymise(registered_rows(), k)
    export_recorded(actor, membership, "ctdc", Tier.AGGREGATE, f"rows={len(rows)} k={k}")
    return as_csv(rows)
