"""What the public pages say, in words for the person (docs/decisions/0046): the rights as the active rulebook
gives them, the self-check, and the public names of the contact channels.

The self-check's statements are the identification indicators (the ILO 2009 operational indicators, the
instrument palermo.identification loads) rephrased for the person who may live them, grouped by what they are
about. Each names the indicators it stands for (`SOURCES`), and a test checks that each still exists in the
shipped instrument. Ticking them answers only "you may be a victim of trafficking; here is who can help": the
decision rule of the instrument is for trained staff, never a verdict on a public page. Answers are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from palermo.core.days import days_in_words
from palermo.core.rulebooks import Period, Rulebook


@dataclass(frozen=True)
class Statement:
    key: str
    text: Promise
    # (dimension, indicator) pairs of the ILO 2009 instrument this statement stands for.
    sources: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Group:
    key: str
    title: Promise
    statements: tuple[Statement, ...]


SELF_CHECK: tuple[Group, ...] = (
    Group(
        "recruitment",
        _("How you came to this work"),
        (
            Statement(
                "deceived",
                _("The job, the place or the employer is not what you were promised."),
                (
                    ("deceptive_recruitment", "deceived about the nature of the job, location or employer"),
                    ("deceptive_recruitment", "deceived about wages or earnings"),
                    ("deceptive_recruitment", "deceived about conditions of work"),
                ),
            ),
            Statement(
                "forced_to_go",
                _("You were forced, threatened or taken to go there or to start this work."),
                (
                    ("coercive_recruitment", "violence on victims"),
                    ("coercive_recruitment", "threats of violence against victim"),
                    (
                        "coercive_recruitment",
                        "abduction, forced marriage, forced adoption or selling of victim",
                    ),
                ),
            ),
            Statement(
                "debt",
                _("You owe money for the travel, papers or job, and the debt never gets smaller."),
                (("coercive_recruitment", "debt bondage"), ("coercion_at_destination", "debt bondage")),
            ),
        ),
    ),
    Group(
        "work",
        _("Your work and where you live"),
        (
            Statement(
                "hours_pay",
                _("You work very long hours, or you get little or no money for it."),
                (
                    ("exploitation", "excessive working days or hours"),
                    ("exploitation", "low or no salary"),
                    ("coercion_at_destination", "withholding of wages"),
                ),
            ),
            Statement(
                "living",
                _("Someone else decides where you sleep, and the place is bad or unsafe."),
                (("exploitation", "bad living conditions"), ("exploitation", "very bad working conditions")),
            ),
            Statement(
                "forced_tasks",
                _("You are made to do things you did not agree to, such as sex, crime or begging."),
                (
                    ("coercion_at_destination", "forced tasks or clients"),
                    ("coercion_at_destination", "forced into illicit or criminal activities"),
                ),
            ),
        ),
    ),
    Group(
        "control",
        _("Whether you are free"),
        (
            Statement(
                "papers",
                _("Someone keeps your passport or identity papers."),
                (("coercion_at_destination", "confiscation of documents"),),
            ),
            Statement(
                "not_free",
                _("You cannot leave when you want, or you are watched or locked in."),
                (("coercion_at_destination", "isolation, confinement or surveillance"),),
            ),
            Statement(
                "threats",
                _("You or your family have been hurt or threatened."),
                (
                    ("coercion_at_destination", "violence on victims"),
                    ("coercion_at_destination", "threats of violence against victim"),
                    ("coercion_at_destination", "violence on family (threats or effective)"),
                ),
            ),
            Statement(
                "authorities",
                _("You are told the police will punish you, or you are told what to say to them."),
                (
                    ("coercion_at_destination", "threat of denunciation to authorities"),
                    ("coercion_at_destination", "forced to lie to authorities, family, etc."),
                ),
            ),
        ),
    ),
    Group(
        "alone",
        _("Who you can turn to"),
        (
            Statement(
                "dependent",
                _("You depend on the people who brought you for food, a bed or papers."),
                (("abuse_of_vulnerability_at_destination", "dependency on exploiters"),),
            ),
            Statement(
                "isolated",
                _("You do not know the area or the language, and have no one else to ask."),
                (
                    ("abuse_of_vulnerability_at_destination", "difficulty to live in an unknown area"),
                    ("recruitment_abuse_of_vulnerability", "abuse of lack of education (language)"),
                ),
            ),
        ),
    ),
)

STATEMENT_KEYS = frozenset(statement.key for group in SELF_CHECK for statement in group.statements)

# The public names of the contact channels (the model's choices are the staff's words).
CHANNELS: tuple[tuple[str, Promise], ...] = (
    ("phone", _("A phone call")),
    ("message", _("A text or messaging app")),
    ("meeting", _("A meeting at a place and time")),
)

# The words a refused contact request shows, here so that the public catalogue has them.
NO_CHANNEL = _("Choose how we should contact you.")
NO_CONTACT = _("Give a phone number or messaging contact.")
NO_MEETING = _("Say where and when you can meet.")
UNAVAILABLE = _("Requests cannot be sent at the moment. Please call one of the services listed.")
SEND_AGAIN = _("Please send the form again.")


def period_words(period: Period) -> str:
    """A rulebook period in the reader's language ("3 months", "30 days")."""
    if period.months is not None:
        return ngettext("%(count)d month", "%(count)d months", period.months) % {"count": period.months}
    return days_in_words(period.days or 0)


@dataclass(frozen=True)
class Rights:
    """The figures of the active rulebook that the rights page states."""

    reflection: str
    permit: str
    renewable: bool
    permit_allows_work: bool
    cooperation_may_count: bool
    child_age: int


def rights(book: Rulebook) -> Rights:
    return Rights(
        reflection=period_words(book.reflection.minimum),
        permit=period_words(Period(months=book.residence.permit_minimum_months))
        if book.residence.permit_minimum_months
        else "",
        renewable=book.residence.renewable,
        permit_allows_work=book.residence.permit_allows_work,
        cooperation_may_count=book.residence.status_may_depend_on_cooperation,
        child_age=book.children.age_threshold,
    )
