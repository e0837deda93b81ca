"""The words of the HTCDS 2.0 picklists the case record offers, marked for translation.

The labels themselves are read from the standard's own file (palermo.core.htcds, `picklist`), which gives each
reader them in their own language through the message catalogues; a label read from a file is no message the
catalogues' extractor (makemessages) can find, so each is marked here, once, as the standard writes it (its
spelling too). tests/core/test_htcds_words.py keeps this list equal to the standard's labels: a new release of
the standard that changes one fails there, to be marked (and translated) before it is accepted.

The sectors are the sections of ISIC Rev. 4, which the standard cites; their translations follow ISIC's and
NACE Rev. 2's published titles where the translator knew them (to be checked by a native reader).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

# vic_ForcedLabourIndustry: the sector of exploitation (ISIC Rev. 4 sections A to U).
SECTORS = (
    gettext_noop("Agriculture, forestry and fishing"),
    gettext_noop("Mining and quarrying"),
    gettext_noop("Manufacturing"),
    gettext_noop("Electricity, gas, steam and air conditioning supply"),
    gettext_noop("Water supply; sewerage, waste management and remediation"),
    gettext_noop("Construction"),
    gettext_noop("Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    gettext_noop("Transportation and storage"),
    gettext_noop("Accommodation and food service activities"),
    gettext_noop("Information and communication"),
    gettext_noop("Financial and insurance activities"),
    gettext_noop("Real estate activities"),
    gettext_noop("Professional, scientific and technical activities"),
    gettext_noop("Administrative and support service activities"),
    gettext_noop("Public administration and defence; compulsory social security"),
    gettext_noop("Education"),
    gettext_noop("Human health and social work activities"),
    gettext_noop("Arts, entertainment and recreation"),
    gettext_noop("Other service activities"),
    gettext_noop(
        "Activities of households as employers; undifferentiated goods- and services- producing activities"
        " of households for own use"
    ),
    gettext_noop("Activities of extraterritorial organizations and bodies"),
)
# vic_MethodsOfControl: how the trafficker controlled the person.
MEANS_OF_CONTROL = (
    gettext_noop("Physical threats"),
    gettext_noop("Threats of law enforcement"),
    gettext_noop("Threatens children/family"),
    gettext_noop("Debt bondage"),
    gettext_noop("False promises"),
    gettext_noop("Physical abuse"),
    gettext_noop("Sexual abuse"),
    gettext_noop("Takes earnings"),
    gettext_noop("Restricts financial access"),
    gettext_noop("Restricts medical care"),
    gettext_noop("Withholds necessities"),
    gettext_noop("Psychological abuse"),
    gettext_noop("Psychoactive substance"),
    gettext_noop("Excessive working hours"),
    gettext_noop("Withholds documents"),
    gettext_noop("Other"),
)
# vic_RelationshipToTrafficker ("Unaquainted" as the standard spells it).
RELATIONSHIPS = (
    gettext_noop("Familial"),
    gettext_noop("Acquainted"),
    gettext_noop("Unaquainted"),
)

LABELS = frozenset((*SECTORS, *MEANS_OF_CONTROL, *RELATIONSHIPS))
