"""The access matrix: role x relation -> the tiers that may be read and written, and who manages the team.

Why a TOML file and not a Python literal: the matrix is policy that data protection officers, auditors and
partner agencies review, like the jurisdiction rulebooks (also TOML). As data it reads as a table with a
reason on every entry, it can be shown and diffed without reading code, and the same file drives the policy
and generates its tests. It lives under `data/` so it ships inside the package. It is loaded and checked once
at import: an unknown role, relation, tier or key, a missing entry, or a write outside what may be read stops
the application at start-up rather than silently opening or closing access.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

from palermo.access.tiers import Tier, parse_tier
from palermo.accounts.roles import Role

Item = TypeVar("Item")
MATRIX_FILE: Final = Path(__file__).resolve().parent / "data" / "matrix.toml"


class Relation(StrEnum):
    TEAM = "team"
    SAME_AGENCY = "same_agency"
    OTHER_AGENCY = "other_agency"
    BREAK_GLASS = "break_glass"


class TeamManagement(StrEnum):
    YES = "yes"
    IF_OPENED_CASE = "if_opened_case"
    NO = "no"


@dataclass(frozen=True)
class Entry:
    read: frozenset[Tier]
    write: frozenset[Tier]
    manage_team: TeamManagement
    why: str


class JusticePart(StrEnum):
    """The parts of the protection-in-proceedings area (palermo.justice) a role's duty may open to it: each
    role's `justice` entry lists those it reads and writes, on top of (never instead of) its tiers."""

    RISK = "risk"  # the individual risk assessment and the protection plan
    PROCEEDINGS = "proceedings"  # proceedings, hearings, measures asked for each, the statement log
    CHOICES = "choices"  # the person's informed choices
    COMPENSATION = "compensation"  # claims, awards and payments
    NON_PUNISHMENT = "non_punishment"  # offences, requests not to prosecute or punish, detention


@dataclass(frozen=True)
class DutyEntry:
    read: frozenset[JusticePart]
    write: frozenset[JusticePart]
    why: str


NO_DUTY: Final = DutyEntry(frozenset(), frozenset(), "")


@dataclass(frozen=True)
class RolePolicy:
    relations: dict[Relation, Entry]
    only_child_cases: bool = False
    justice: DutyEntry = NO_DUTY
    # Writes the country-of-origin information base and its partners (palermo.origin), which hold no
    # personal data: every staff role reads them.
    edits_country_information: bool = False

    def entry(self, relation: Relation) -> Entry:
        return self.relations[relation]


class MatrixError(ValueError):
    """The matrix file is not a complete, consistent policy. Lists every problem found."""


ENTRY_KEYS: Final = {"read", "write", "manage_team", "why"}
FLAG_KEYS: Final = {"only_child_cases", "edits_country_information"}
ROLE_KEYS: Final = FLAG_KEYS | {"justice"}
DUTY_KEYS: Final = {"read", "write", "why"}

# Emergency access grants only what the role's duty needs (issue: location stays secret under emergency
# access). These hold whatever the file says, and a file that breaks them does not load.
# Location (T3) through an emergency: the protection officer's duty is to find and protect the person.
EMERGENCY_LOCATION_ROLES: Final = frozenset({Role.PROTECTION_OFFICER})
# Roles whose emergency reads never pass what their ordinary team membership would give.
EMERGENCY_WITHIN_TEAM_ROLES: Final = frozenset(
    {Role.SERVICE_PROVIDER, Role.MIGRATION_OFFICER, Role.INVESTIGATOR}
)


# The cooperation guard, extended to the proceedings (docs/decisions/0034): residence status never depends on
# the person's cooperation, so whoever decides on it reads nothing of the proceedings, the person's choices
# to cooperate or testify, or the protection given to a witness. A file that opens any of it to them does
# not load.
RESIDENCE_DECIDERS: Final = frozenset({Role.MIGRATION_OFFICER})


@dataclass(frozen=True)
class _Listed(Generic[Item]):
    """A list the file gives of one kind of value: its noun, an example, and how each value is read."""

    noun: str
    example: str
    parse: Callable[[Any], Item]
    not_one: str  # what an item that is not one is said to be


PARTS: Final = _Listed("part", '["proceedings"]', JusticePart, f"is not one of {', '.join(JusticePart)}")
TIERS: Final = _Listed("tier", '["T1", "T2"]', parse_tier, "is not a tier (T0-T4)")


def _listed(kind: _Listed[Item], value: Any, where: str, problems: list[str]) -> frozenset[Item]:
    if not isinstance(value, list):
        problems.append(f"{where}: must be a list of {kind.noun}s such as {kind.example}")
        return frozenset()
    found = []
    for item in value:
        try:
            found.append(kind.parse(item))
        except (TypeError, ValueError):
            problems.append(f"{where}: {item!r} {kind.not_one}")
    if len(found) != len(set(found)):
        problems.append(f"{where}: a {kind.noun} is listed twice")
    return frozenset(found)


def _grant(
    kind: _Listed[Item],
    raw: dict[str, Any],
    where: str,
    known: Collection[str],
    required: Iterable[str],
    problems: list[str],
) -> tuple[frozenset[Item], frozenset[Item], str]:
    """What an entry of the file grants: the values (of `kind`) it reads and writes and its reason, the
    problems of its keys (`known` ones only, each of `required` given) noted on the way."""
    for key in sorted(set(raw) - set(known)):
        problems.append(f"{where}: unknown key {key!r}")
    for key in required:
        if key not in raw:
            problems.append(f"{where}: missing {key!r}")
    read = _listed(kind, raw.get("read", []), f"{where}.read", problems)
    write = _listed(kind, raw.get("write", []), f"{where}.write", problems)
    why = raw.get("why", "")
    if not isinstance(why, str) or not why.strip():
        problems.append(f"{where}.why: give the reason in one line")
        why = ""
    return read, write, why


def _duty(role: Role, raw: Any, problems: list[str]) -> DutyEntry:
    where = f"{role.value}.justice"
    if not isinstance(raw, dict):
        problems.append(f"{where}: missing (write it down, even when it grants nothing)")
        return NO_DUTY
    read, write, why = _grant(PARTS, raw, where, DUTY_KEYS, sorted(DUTY_KEYS), problems)
    if not write <= read:
        problems.append(f"{where}: writes {sorted(write - read)} it may not read")
    if role in RESIDENCE_DECIDERS and read:
        problems.append(f"{where}: a residence decider reads nothing of the proceedings (cooperation guard)")
    return DutyEntry(read, write, why.strip())


def _emergency_problems(role: Role, relations: dict[Relation, Entry]) -> list[str]:
    glass, team = relations.get(Relation.BREAK_GLASS), relations.get(Relation.TEAM)
    if glass is None or team is None:
        return []
    where = f"{role.value}.break_glass"
    problems = []
    if Tier.LOCATION in glass.read and role not in EMERGENCY_LOCATION_ROLES:
        problems.append(f"{where}: location (T3) in an emergency is the protection officer's only")
    if role in EMERGENCY_WITHIN_TEAM_ROLES and glass.read - team.read:
        extra = sorted(tier.code for tier in glass.read - team.read)
        problems.append(f"{where}: reads {extra} that its team membership would not give")
    if glass.write:
        problems.append(f"{where}: an emergency is read, never written")
    return problems


def _entry(raw: Any, where: str, relation: Relation, problems: list[str]) -> Entry:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a table")
        return Entry(frozenset(), frozenset(), TeamManagement.NO, "")
    read, write, why = _grant(TIERS, raw, where, ENTRY_KEYS, ("read", "write", "why"), problems)
    try:
        manage = TeamManagement(raw.get("manage_team", TeamManagement.NO))
    except ValueError:
        problems.append(f"{where}.manage_team: one of {', '.join(TeamManagement)}")
        manage = TeamManagement.NO
    if not write <= read:
        problems.append(f"{where}: writes {sorted(t.code for t in write - read)} it may not read")
    if Tier.AGGREGATE in write:
        problems.append(f"{where}: T0 is computed from the record, never written")
    if read - {Tier.AGGREGATE} and Tier.AGGREGATE not in read:
        problems.append(f"{where}: whoever reads a case's details may count it; add T0")
    if manage != TeamManagement.NO and relation != Relation.TEAM:
        problems.append(f"{where}: only team members may manage the team")
    if manage != TeamManagement.NO and Tier.METADATA not in write:
        problems.append(f"{where}: managing the team needs T1 write")
    return Entry(read, write, manage, why.strip())


def parse_matrix(data: dict[str, Any]) -> dict[Role, RolePolicy]:
    """Check a loaded matrix completely; raise MatrixError listing every problem, or return the policy."""
    problems: list[str] = []
    for name in sorted(set(data) - set(Role.values)):
        problems.append(f"{name}: not a role")
    matrix: dict[Role, RolePolicy] = {}
    for role in Role:
        raw = data.get(role.value)
        if not isinstance(raw, dict):
            problems.append(f"{role.value}: missing")
            continue
        for key in sorted(set(raw) - ROLE_KEYS - set(Relation.__members__.values())):
            problems.append(f"{role.value}: unknown key {key!r}")
        flags = {}
        for flag in sorted(FLAG_KEYS):
            flags[flag] = raw.get(flag, False)
            if not isinstance(flags[flag], bool):
                problems.append(f"{role.value}.{flag}: true or false")
                flags[flag] = False
        relations = {}
        for relation in Relation:
            where = f"{role.value}.{relation.value}"
            if relation.value not in raw:
                problems.append(f"{where}: missing (write it down, even when it grants nothing)")
                continue
            relations[relation] = _entry(raw[relation.value], where, relation, problems)
        problems.extend(_emergency_problems(role, relations))
        duty = _duty(role, raw.get("justice"), problems)
        matrix[role] = RolePolicy(
            relations, flags["only_child_cases"], duty, flags["edits_country_information"]
        )
    if problems:
        raise MatrixError("access matrix:\n" + "\n".join(problems))
    return matrix


def load_matrix(path: Path = MATRIX_FILE) -> dict[Role, RolePolicy]:
    with path.open("rb") as handle:
        return parse_matrix(tomllib.load(handle))


MATRIX: Final[dict[Role, RolePolicy]] = load_matrix()


def entry(role: Role | str, relation: Relation) -> Entry:
    return MATRIX[Role(role)].relations[relation]


def reads(role: Role | str, relation: Relation) -> frozenset[Tier]:
    return entry(role, relation).read


def writes(role: Role | str, relation: Relation) -> frozenset[Tier]:
    return entry(role, relation).write


def may_break_glass(role: Role | str) -> bool:
    """A role may open emergency access when the emergency would show it something of a case."""
    return bool(reads(role, Relation.BREAK_GLASS) - {Tier.AGGREGATE})


def break_glass_roles() -> frozenset[Role]:
    return frozenset(role for role in Role if may_break_glass(role))


def team_managing_roles() -> frozenset[Role]:
    return frozenset(role for role in Role if entry(role, Relation.TEAM).manage_team != TeamManagement.NO)


def country_information_editors() -> frozenset[Role]:
    """The roles that write the country-of-origin information base and its partners."""
    return frozenset(role for role in Role if MATRIX[role].edits_country_information)


def justice_reads(role: Role | str) -> frozenset[JusticePart]:
    """The parts of the proceedings area this role's duty opens to it (none for a residence decider)."""
    return MATRIX[Role(role)].justice.read


def justice_writes(role: Role | str) -> frozenset[JusticePart]:
    return MATRIX[Role(role)].justice.write


def case_reading_relations(role: Role | str) -> frozenset[Relation]:
    """The relations under which this role sees a case at all (its T1 metadata)."""
    return frozenset(relation for relation in Relation if Tier.METADATA in reads(role, relation))
