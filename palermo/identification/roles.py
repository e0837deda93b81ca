"""Who does what in identification (domain brief §2), as data. The access policy still decides, case by case,
which tiers a membership may read or write; these sets say which roles the capability is for at all."""

from __future__ import annotations

from palermo.accounts.roles import CASE_WORKERS, Role

# First responders and case managers answer screenings, and so does the identification authority (which
# may meet the person itself, or finish a screening begun by others); the access policy still decides, case
# by case, whether the membership may write the screening's narrative (T4) there.
SCREENING_WRITERS = frozenset({Role.FIRST_RESPONDER, Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY})
SCREENING_READERS = SCREENING_WRITERS

# Legal elements, differentiation and age assessments: recorded by those who meet the person and by the
# authority that decides; the guardian reads them for the child they represent.
ASSESSMENT_WRITERS = frozenset({Role.FIRST_RESPONDER, Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY})
ASSESSMENT_READERS = ASSESSMENT_WRITERS | {Role.GUARDIAN}

# Only the identification authority decides. The outcome is case metadata (T1) that every role working on
# the case may need (the migration officer grants the reflection period on it); the reasons are T4.
DECIDERS = frozenset({Role.IDENTIFICATION_AUTHORITY})
DECISION_READERS = frozenset(CASE_WORKERS)

# Instruments are reference data; the stateless evaluation serves those who screen and those who decide.
EVALUATORS = SCREENING_READERS
# Who installs an indicator list (reference data for every screening): the platform's operator.
INSTRUMENT_INSTALLERS = frozenset({Role.SYSTEM_ADMINISTRATOR})
