"""The residence models' tiers: a decision's reasons are legal status (T2), and values stored while they were
declared T4 still open (the encryption binds model and field name, never the tier, so migration 0002 changes
no data)."""

from __future__ import annotations

import pytest

from palermo.core.crypto import DecryptionError
from palermo.core.fields import EncryptedTextField
from palermo.residence.models import Appeal, Decision, HumanitarianAssessment
from tests.residence.conftest import decide, lodge

pytestmark = pytest.mark.django_db


def test_the_tiers_of_the_residence_texts():
    tier = {
        (model.__name__, name): model._meta.get_field(name).tier
        for model, name in (
            (Decision, "reasons"),
            (Decision, "child_views"),
            (Appeal, "grounds"),
            (HumanitarianAssessment, "notes"),
            (HumanitarianAssessment, "retaliation_risk"),
        )
    }
    assert tier == {
        ("Decision", "reasons"): 2,
        ("Decision", "child_views"): 4,
        ("Appeal", "grounds"): 4,
        ("HumanitarianAssessment", "notes"): 4,
        ("HumanitarianAssessment", "retaliation_risk"): 4,
    }


def test_reasons_sealed_when_they_were_t4_still_open(team_case, manager):
    decision = decide(manager, lodge(manager, team_case))
    before = EncryptedTextField("reasons", tier=4)  # the field as migration 0001 declared it
    before.set_attributes_from_name("reasons")
    before.model = Decision
    sealed = before.seal(decision, "Stated while reasons were narrative.")
    Decision.objects.filter(pk=decision.pk).update(reasons=sealed)
    assert Decision.objects.get(pk=decision.pk).reasons == "Stated while reasons were narrative."
    other = EncryptedTextField("notes", tier=2)  # what the binding does depend on: the field's name
    other.set_attributes_from_name("notes")
    other.model = Decision
    Decision.objects.filter(pk=decision.pk).update(reasons=other.seal(decision, "Sealed for another field."))
    with pytest.raises(DecryptionError):
        _ = Decision.objects.get(pk=decision.pk).reasons
