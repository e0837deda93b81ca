"""Age from exact, partial and estimated birth dates; the CTDC age group; the child decision."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from palermo.cases.age import (
    Age,
    BornAfterTheDay,
    ChildBasis,
    age_group,
    age_group_on,
    age_on,
    birth_date_bounds,
    birth_date_from_age_estimate,
    child_basis,
    completed_years,
    is_child,
)
from palermo.cases.models import AgeGroup, BirthDatePrecision

P = BirthDatePrecision
DAY = datetime.date(2025, 3, 15)
PRECISIONS = st.sampled_from(list(BirthDatePrecision))
DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


def test_completed_years_turn_on_the_birthday():
    birth = datetime.date(2007, 3, 15)
    assert completed_years(birth, datetime.date(2025, 3, 14)) == 17
    assert completed_years(birth, datetime.date(2025, 3, 15)) == 18


def test_a_leap_day_birthday_turns_on_the_first_of_march():
    birth = datetime.date(2008, 2, 29)
    assert completed_years(birth, datetime.date(2026, 2, 28)) == 17
    assert completed_years(birth, datetime.date(2026, 3, 1)) == 18


def test_an_exact_date_gives_one_age():
    assert age_on(datetime.date(2000, 6, 1), P.EXACT, DAY) == Age(24, 24, 24)


def test_a_year_gives_the_range_of_the_whole_year():
    # Born in 2007: on 15 March 2025 they are 17 (born after 15 March) or 18.
    age = age_on(datetime.date(2007, 1, 1), P.YEAR, DAY)
    assert (age.low, age.high) == (17, 18)
    assert not age.is_certain


def test_a_year_and_month_ignore_the_day():
    assert birth_date_bounds(datetime.date(2008, 2, 17), P.YEAR_MONTH) == (
        datetime.date(2008, 2, 1),
        datetime.date(2008, 2, 29),
    )
    age = age_on(datetime.date(2007, 3, 9), P.YEAR_MONTH, DAY)
    assert (age.low, age.high) == (17, 18)


def test_an_estimate_counts_as_precise_to_its_year_and_centres_on_itself():
    estimated = birth_date_from_age_estimate(17, DAY)
    assert estimated == datetime.date(2008, 3, 15)
    age = age_on(estimated, P.ESTIMATED, DAY)
    assert age == Age(low=16, high=17, estimate=17)


def test_an_age_estimate_on_a_leap_day_gives_a_real_date():
    assert birth_date_from_age_estimate(1, datetime.date(2024, 2, 29)) == datetime.date(2023, 2, 28)
    with pytest.raises(ValueError, match="negative"):
        birth_date_from_age_estimate(-1, DAY)


def test_no_birth_date_no_age():
    assert age_on(None, P.EXACT, DAY) is None
    assert age_group_on(None, P.EXACT, DAY) == AgeGroup.UNKNOWN


def test_a_birth_this_year_is_at_least_zero_and_a_future_birth_is_refused():
    assert age_on(datetime.date(2025, 1, 1), P.YEAR, DAY) == Age(0, 0, 0)
    with pytest.raises(BornAfterTheDay):
        age_on(datetime.date(2026, 1, 1), P.YEAR, DAY)


@pytest.mark.parametrize(
    ("age", "group"),
    [
        (0, "0-8"),
        (8, "0-8"),
        (9, "9-17"),
        (17, "9-17"),
        (18, "18-20"),
        (20, "18-20"),
        (21, "21-23"),
        (24, "24-26"),
        (27, "27-29"),
        (29, "27-29"),
        (30, "30-38"),
        (38, "30-38"),
        (39, "39-47"),
        (47, "39-47"),
        (48, "48+"),
        (103, "48+"),
        (None, "unknown"),
        (-1, "unknown"),
    ],
)
def test_ctdc_age_bands(age, group):
    assert age_group(age) == group


def test_the_age_group_uses_the_central_estimate_not_the_youngest_age():
    # Born in 2006 (year only), on 15 March 2025: 18 or 19, centred on 1 July 2006 -> 18.
    assert age_group_on(datetime.date(2006, 1, 1), P.YEAR, DAY) == AgeGroup.AGE_18_20
    # Born in 2007: 17 or 18, centred on 2 July 2007 -> 17; the band is 9-17.
    assert age_group_on(datetime.date(2007, 1, 1), P.YEAR, DAY) == AgeGroup.AGE_9_17


def basis(**overrides):
    values = {
        "birth_date": None,
        "precision": P.EXACT,
        "age_uncertain": False,
        "believed_child": False,
        "on": DAY,
        "threshold": 18,
        "presumption_of_minority": True,
    }
    values.update(overrides)
    return child_basis(**values)


def test_an_exact_date_decides_by_age():
    assert basis(birth_date=datetime.date(2007, 3, 16)) == ChildBasis.BY_AGE
    assert basis(birth_date=datetime.date(2007, 3, 15)) == ChildBasis.ADULT


def test_a_partial_date_that_could_be_under_the_threshold_is_a_child():
    # Born in 2007 (year only): could still be 17 on 15 March 2025.
    assert basis(birth_date=datetime.date(2007, 1, 1), precision=P.YEAR) == ChildBasis.POSSIBLY_UNDER_AGE
    assert basis(birth_date=datetime.date(2006, 12, 1), precision=P.YEAR) == ChildBasis.ADULT


def test_the_presumption_of_minority_overrides_an_adult_estimate():
    adult_estimate = birth_date_from_age_estimate(25, DAY)
    assert basis(birth_date=adult_estimate, precision=P.ESTIMATED, believed_child=True) == ChildBasis.PRESUMED
    # An exact date with "age uncertain" still presumed: the date itself may be false.
    assert (
        basis(birth_date=datetime.date(1990, 1, 1), age_uncertain=True, believed_child=True)
        == ChildBasis.PRESUMED
    )
    # No birth date at all is an uncertain age.
    assert basis(believed_child=True) == ChildBasis.PRESUMED


def test_no_presumption_without_reasons_to_believe_a_child():
    assert basis(age_uncertain=True) == ChildBasis.UNKNOWN
    assert not basis(age_uncertain=True).is_child


def test_an_assessment_ends_the_presumption():
    # The assessment sets an exact date and clears "age uncertain": the date decides again.
    assert (
        basis(birth_date=datetime.date(1990, 1, 1), age_uncertain=False, believed_child=True)
        == ChildBasis.ADULT
    )


def test_a_rulebook_without_the_presumption_decides_by_the_date_only():
    assert basis(believed_child=True, presumption_of_minority=False) == ChildBasis.UNKNOWN


def test_the_threshold_comes_from_the_rulebook(settings, tmp_path):
    text = (settings.RULEBOOK_DIR / "osce-2005.toml").read_text(encoding="utf-8")
    assert "age_threshold = 18" in text
    (tmp_path / "osce-2005.toml").write_text(text.replace("age_threshold = 18", "age_threshold = 16"))
    seventeen = datetime.date(2007, 12, 1)
    assert is_child(
        birth_date=seventeen, precision=P.EXACT, age_uncertain=False, believed_child=False, on=DAY
    )
    settings.RULEBOOK_DIR = tmp_path  # the settings change empties the rulebook cache
    assert not is_child(
        birth_date=seventeen, precision=P.EXACT, age_uncertain=False, believed_child=False, on=DAY
    )


@given(birth=DATES, precision=PRECISIONS, on=DATES)
def test_the_range_holds_every_possible_birth_day(birth, precision, on):
    earliest, latest = birth_date_bounds(birth, precision)
    if earliest > on:
        return
    age = age_on(birth, precision, on)
    assert age is not None
    assert 0 <= age.low <= age.estimate <= age.high
    assert age.high - age.low <= 1  # a year of possible birth days spans at most two ages
    # The bounds are exactly the ages of the extreme possible birth days.
    assert age.high == completed_years(earliest, on)
    assert age.low == completed_years(min(latest, on), on)
    if precision == P.EXACT:
        assert age.is_certain


@given(birth=DATES, precision=PRECISIONS, on=DATES, threshold=st.integers(12, 21))
def test_a_child_when_some_possible_birth_day_gives_an_age_under_the_threshold(
    birth, precision, on, threshold
):
    earliest, latest = birth_date_bounds(birth, precision)
    if earliest > on:
        return
    decided = is_child(
        birth_date=birth,
        precision=precision,
        age_uncertain=False,
        believed_child=False,
        on=on,
        threshold=threshold,
        presumption_of_minority=True,
    )
    # The youngest possible age is that of the latest possible birth day (not after the day itself).
    could_be_under = completed_years(min(latest, on), on) < threshold
    assert decided == could_be_under


@given(
    birth=st.none() | DATES,
    precision=PRECISIONS,
    uncertain=st.booleans(),
    believed=st.booleans(),
    presumption=st.booleans(),
)
def test_the_presumption_never_makes_a_child_an_adult(birth, precision, uncertain, believed, presumption):
    on = datetime.date(2101, 1, 1)
    kwargs = {
        "birth_date": birth,
        "precision": precision,
        "age_uncertain": uncertain,
        "on": on,
        "threshold": 18,
    }
    with_reasons = is_child(believed_child=True, presumption_of_minority=presumption, **kwargs)
    without = is_child(believed_child=believed, presumption_of_minority=False, **kwargs)
    # Reasons to believe a child never remove the child's protection that the date alone gives.
    assert with_reasons or not without


@given(age=st.integers(0, 120), on=DATES)
def test_an_age_estimate_reads_back_as_itself(age, on):
    if on.year - age < 1:
        return
    assert age_on(birth_date_from_age_estimate(age, on), P.ESTIMATED, on).estimate == age
