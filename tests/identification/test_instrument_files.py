"""Reading instrument CSV files: every bad line is named with its reason (no database)."""

from __future__ import annotations

import pytest

from palermo.identification.instrument_files import (
    InstrumentFileError,
    LineError,
    parse_instrument_csv,
    read_text,
    specs_from_rows,
)
from palermo.identification.loading import shipped_instruments
from palermo.identification.rules import Weight

HEADER = "dimension,indicator,strength_adult,strength_child\n"


def errors_of(text: str) -> list[LineError]:
    with pytest.raises(InstrumentFileError) as refused:
        parse_instrument_csv(text)
    return refused.value.errors


def test_the_shipped_file_reads_cleanly_with_its_child_gaps():
    rows = shipped_instruments()[0].rows()
    assert len(rows) == 67
    no_child = [r.indicator.text for r in rows if r.indicator.child_weight is None]
    assert no_child == [
        "false information about law, attitude of authorities",
        "no social protection (contract, social insurance, etc.)",
    ]
    assert rows[0].line == 2 and rows[0].indicator.adult_weight is Weight.STRONG


def test_every_bad_line_is_reported_with_its_number_and_reason():
    text = (
        HEADER
        + "exploitation,low or no salary,medium,medium\n"  # 2: fine
        + "exploitaton,hazardous work,medium,medium\n"  # 3: misspelt dimension
        + "exploitation,,medium,\n"  # 4: no text
        + "exploitation,bad living conditions,very strong,medium\n"  # 5: bad adult weight
        + "\n"  # 6: blank, skipped
        + "exploitation,Low or no salary,medium,medium\n"  # 7: duplicate of line 2
        + "coercion_at_destination,debt bondage,strong\n"  # 8: three fields
        + "coercion_at_destination,violence on victims,strong,sometimes\n"  # 9: bad child weight
    )
    errors = errors_of(text)
    assert [e.line for e in errors] == [3, 4, 5, 7, 8, 9]
    reasons = {e.line: e.reason for e in errors}
    assert "unknown dimension 'exploitaton'" in reasons[3]
    assert "empty" in reasons[4]
    assert "strength_adult 'very strong'" in reasons[5]
    assert "already on line 2" in reasons[7]
    assert "3 fields, expected 4" in reasons[8]
    assert "strength_child 'sometimes'" in reasons[9]
    assert str(errors[0]).startswith("line 3: ")


def test_a_wrong_header_is_line_1():
    assert errors_of("dimension;indicator;adult;child\n")[0].line == 1


def test_an_empty_file_is_refused():
    assert errors_of(HEADER)[0].reason == "the file holds no indicators"


def test_multi_line_quoted_fields_keep_the_physical_line_numbers():
    text = HEADER + 'exploitation,"low or\nno salary",medium,medium\nexploitation,x,huge,\n'
    assert [e.line for e in errors_of(text)] == [4]


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "exploitation,très mauvais,medium,\n").encode("latin-1"))
    with pytest.raises(InstrumentFileError) as refused:
        read_text(path)
    assert "not UTF-8" in refused.value.errors[0].reason


def test_rows_become_specs_in_the_order_of_the_2009_lists():
    text = HEADER + "exploitation,a,medium,\ndeceptive_recruitment,b,strong,strong\n"
    specs = specs_from_rows(parse_instrument_csv(text))
    assert [d.key for d in specs] == ["deceptive_recruitment", "exploitation"]
