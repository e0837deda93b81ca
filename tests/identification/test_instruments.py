"""Instruments in the database: the shipped list is loaded once, imports are all or nothing and audited."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from palermo.audit.models import AuditEvent
from palermo.identification.models import Dimension, Indicator, Instrument
from palermo.identification.selectors import instrument_find, instrument_specs

from .ilo import ILO_NAME, ilo_specs

pytestmark = pytest.mark.django_db

HEADER = "dimension,indicator,strength_adult,strength_child\n"
GOOD = (
    HEADER
    + "deceptive_recruitment,deceived about the job,strong,strong\n"
    + "exploitation,forced tasks or clients,strong,strong\n"
    + "coercion_at_destination,hazardous work,medium,strong\n"
)


def import_file(tmp_path, text: str, *, name="national-sexual", version="2025-1", source="Ministry list"):
    path = tmp_path / "instrument.csv"
    path.write_text(text, encoding="utf-8")
    call_command(
        "import_instrument",
        str(path),
        "--name",
        name,
        "--version",
        version,
        "--source",
        source,
        "--exploitation-type",
        "sexual",
    )


def test_the_shipped_instrument_is_in_the_database_with_its_source():
    instrument = instrument_find(ILO_NAME)
    assert instrument is not None
    assert instrument.version == "ilo-2009-labour (secondary transcription)"
    assert "secondary transcription" in instrument.source
    assert instrument.exploitation_type == "labour"
    assert instrument_specs(instrument) == ilo_specs()


def test_loading_the_shipped_instruments_again_changes_nothing(capsys):
    before = (Instrument.objects.count(), Indicator.objects.count())
    call_command("load_instruments")
    assert "already loaded" in capsys.readouterr().out
    assert (Instrument.objects.count(), Indicator.objects.count()) == before
    assert not AuditEvent.objects.filter(action="instrument.load").exists()


def test_a_missing_shipped_instrument_is_loaded_and_audited(capsys):
    Instrument.objects.filter(name=ILO_NAME).delete()
    call_command("load_instruments")
    assert "loaded ilo-2009-labour" in capsys.readouterr().out
    instrument = instrument_find(ILO_NAME)
    assert Indicator.objects.filter(dimension__instrument=instrument).count() == 67
    event = AuditEvent.objects.get(action="instrument.load")
    assert (event.object_type, event.object_id, event.tier) == ("instrument", str(instrument.pk), 0)


def test_an_import_creates_a_new_instrument_and_is_audited(tmp_path, capsys):
    import_file(tmp_path, GOOD)
    assert "with 3 indicators" in capsys.readouterr().out
    instrument = Instrument.objects.get(name="national-sexual", version="2025-1")
    assert instrument.exploitation_type == "sexual"
    assert list(instrument.dimensions.values_list("key", flat=True)) == [
        "deceptive_recruitment",
        "exploitation",
        "coercion_at_destination",
    ]
    assert AuditEvent.objects.filter(action="instrument.import", object_id=str(instrument.pk)).count() == 1


def test_a_bad_file_is_refused_whole_with_every_line_and_reason(tmp_path, capsys):
    counts = (Instrument.objects.count(), Dimension.objects.count(), Indicator.objects.count())
    bad = GOOD + "exploitation,no pay,mediun,\nnot_a_dimension,x,strong,\n"
    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, bad)
    assert refused.value.returncode == 2
    assert "nothing was imported" in str(refused.value)
    err = capsys.readouterr().err
    assert "line 5: strength_adult 'mediun'" in err
    assert "line 6: unknown dimension 'not_a_dimension'" in err
    assert (Instrument.objects.count(), Dimension.objects.count(), Indicator.objects.count()) == counts
    assert not AuditEvent.objects.filter(action="instrument.import").exists()


def test_an_existing_name_and_version_is_never_replaced(tmp_path, capsys):
    with pytest.raises(CommandError):
        import_file(tmp_path, GOOD, name=ILO_NAME, version="ilo-2009-labour (secondary transcription)")
    assert "exists; import a new version" in capsys.readouterr().err
    assert Indicator.objects.filter(dimension__instrument__name=ILO_NAME).count() == 67


def test_a_newer_version_is_found_by_name_and_the_older_one_by_version(tmp_path):
    import_file(tmp_path, GOOD, name=ILO_NAME, version="2026 national adaptation")
    assert instrument_find(ILO_NAME).version == "2026 national adaptation"
    older = instrument_find(ILO_NAME, "ilo-2009-labour (secondary transcription)")
    assert older is not None and len(instrument_specs(older)) == 6


def test_a_missing_file_is_refused(tmp_path, capsys):
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_instrument", str(tmp_path / "nope.csv"), "--name", "n", "--version", "v", "--source", "s"
        )
    assert refused.value.returncode == 2
    assert "cannot read the file" in capsys.readouterr().err
