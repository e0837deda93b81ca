"""`palermo rulebook_check` and the start-up system check for the active rulebook."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from palermo.core.rulebooks import RECOMMENDATIONS, available_rulebooks, rulebook

REPO = Path(__file__).resolve().parents[2]
PAPER_TEXT = (REPO / "rulebooks" / "osce-2005.toml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    rulebook.cache_clear()
    yield
    rulebook.cache_clear()


def rewritten(name: str, *replacements: tuple[str, str]) -> str:
    """The osce-2005 file renamed to `name`, with each (old, new) text replaced (each must be present)."""
    text = PAPER_TEXT.replace('name = "osce-2005"', f'name = "{name}"')
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def rulebook_dir(tmp_path: Path, settings: Any) -> Path:
    """A temporary RULEBOOK_DIR holding the position paper's rulebook, the yardstick of every check."""
    (tmp_path / "osce-2005.toml").write_text(PAPER_TEXT, encoding="utf-8")
    settings.RULEBOOK_DIR = tmp_path
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    """Run the command in-process: (exit status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("rulebook_check", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


# --- rulebook_check ----------------------------------------------------------------------------------------


def test_the_position_paper_meets_every_recommendation() -> None:
    status, out, _ = run("osce-2005")
    assert status == 0
    assert "osce-2005: OSCE Alliance position paper" in out
    assert "meets every recommendation of the position paper" in out
    assert "falls short" not in out


def test_the_convention_falls_short_point_by_point_with_both_values() -> None:
    status, out, _ = run("coe-cets197")
    assert status == 1
    assert "falls short of the position paper (osce-2005) on 5 points" in out
    expected = [
        ("1. reflection and recovery period granted [reflection.length]", "at least 3 months", "30 days"),
        ("2. shortest reflection period allowed [reflection.minimum]", "at least 3 months", "30 days"),
        ("[residence.permit_minimum_months]", "at least 6 months", "0 months (none set)"),
        ("[residence.status_may_depend_on_cooperation]", "position paper: no", "coe-cets197:    yes"),
        ("[exploitation.recognised_forms]", "all 12 forms of osce-2005", "missing ChildLabour"),
    ]
    for heading, paper_value, rulebook_value in expected:
        block = re.split(r"\n  \d+\. |\n\n", out[out.index(heading) :])[0]
        assert paper_value in block
        assert rulebook_value in block
    assert '"no less than three months"' in out, "the paper's own words are quoted"
    # What the Convention does guarantee is not reported as a shortfall.
    for met in (
        "residence.renewable",
        "permit_allows_work",
        "children.age_threshold",
        "presumption_of_minority",
    ):
        assert met not in out


def test_a_rulebook_below_every_recommendation_shows_every_point(rulebook_dir: Path) -> None:
    (rulebook_dir / "bleak.toml").write_text(
        rewritten(
            "bleak",
            ("length = {months = 3}", "length = {days = 14}"),
            ("minimum = {months = 3}", "minimum = {days = 0}"),
            ("permit_minimum_months = 6", "permit_minimum_months = 3"),
            ("renewable = true", "renewable = false"),
            ("permit_allows_work = true", "permit_allows_work = false"),
            ("permit_allows_study = true", "permit_allows_study = false"),
            ("status_may_depend_on_cooperation = false", "status_may_depend_on_cooperation = true"),
            ("age_threshold = 18", "age_threshold = 16"),
            ("presumption_of_minority = true", "presumption_of_minority = false"),
            ('  "ForcedLabour",\n', ""),
            ('  "ForcedBegging",\n', ""),
        ),
        encoding="utf-8",
    )
    status, out, _ = run("bleak")
    assert status == 1
    assert f"on {len(RECOMMENDATIONS)} points" in out
    for item in RECOMMENDATIONS:
        assert f"[{item.key}]" in out
    assert "ForcedLabour not recognised" in out
    assert "missing ForcedBegging" in out
    assert "missing ForcedLabour" not in out, "labour exploitation is one point, not two"
    assert "bleak:" in out and "16 years" in out and "at least 18 years" in out


def test_all_checks_every_shipped_rulebook_and_reports_the_worst_status() -> None:
    status, out, _ = run("--all")
    assert status == 1
    for name in available_rulebooks():
        assert f"{name}: " in out
    assert out.count("meets every recommendation") == 1


def test_an_invalid_rulebook_exits_2_naming_the_key_while_the_others_are_checked(rulebook_dir: Path) -> None:
    (rulebook_dir / "broken.toml").write_text(
        rewritten("broken", ("minimum = {months = 3}", "minimum = {months = -5}")), encoding="utf-8"
    )
    status, out, err = run("--all")
    assert status == 2
    assert "broken: cannot be checked" in err
    assert "broken.toml: reflection.minimum.months: must be >= 0" in err
    assert "osce-2005: " in out and "meets every recommendation" in out


def test_unknown_names_and_no_names_are_refused() -> None:
    status, _, err = run("atlantis")
    assert status == 2
    assert "rulebooks/atlantis.toml: no such rulebook" in err
    status, _, err = run()
    assert status == 2
    assert "name a rulebook, or pass --all" in err


def test_ninety_days_fall_short_of_three_calendar_months(rulebook_dir: Path) -> None:
    """Three months are not 90 days: from 1 March they are 92, so a 90-day period falls short."""
    (rulebook_dir / "ninety.toml").write_text(
        rewritten(
            "ninety",
            ("length = {months = 3}", "length = {days = 90}"),
            ("minimum = {months = 3}", "minimum = {days = 90}"),
        ),
        encoding="utf-8",
    )
    status, out, _ = run("ninety")
    assert status == 1
    assert "[reflection.length]" in out and "at least 3 months" in out and "ninety:" in out
    assert "90 days" in out


def test_figures_still_to_verify_are_named_without_changing_the_status(rulebook_dir: Path) -> None:
    (rulebook_dir / "draft.toml").write_text(
        rewritten(
            "draft",
            (
                "valid_from = 2005-01-01",
                'valid_from = 2005-01-01\nunverified = ["residence.renewal_window_days"]',
            ),
        ),
        encoding="utf-8",
    )
    status, out, _ = run("draft")
    assert status == 0
    assert "meets every recommendation" in out
    assert "1 figure not yet verified against the source (to verify):" in out
    assert "- residence.renewal_window_days" in out
    status, out, _ = run("osce-2005")
    assert "to verify" not in out


def test_the_shipped_uk_rulebook_says_which_figures_are_unverified() -> None:
    _, out, _ = run("gb-msa2015")
    listed = out[out.index("not yet verified") :]
    assert "- decisions.identified_victim_days" in listed
    assert "- reflection.minimum" not in listed, "the 30-day minimum is verified (ministerial statement)"


@pytest.mark.parametrize(("name", "status"), [("osce-2005", 0), ("coe-cets197", 1)])
def test_the_real_command_exits_with_the_documented_status(name: str, status: int) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PALERMO_RULEBOOK", "PALERMO_RULEBOOK_DIR"}
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "palermo.cli", "rulebook_check", name],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == status, done.stderr
    assert f"{name}: " in done.stdout


# --- the system check --------------------------------------------------------------------------------------


def rulebook_errors() -> list[checks.CheckMessage]:
    return [message for message in checks.run_checks() if message.id == "palermo.E010"]


def test_a_valid_active_rulebook_passes_the_system_check() -> None:
    assert rulebook_errors() == []


def test_an_invalid_active_rulebook_fails_the_system_check(rulebook_dir: Path, settings: Any) -> None:
    (rulebook_dir / "broken.toml").write_text(
        rewritten(
            "broken", ("minimum = {months = 3}\n", ""), ("break_glass_hours = 4", "break_glass_hours = 0")
        ),
        encoding="utf-8",
    )
    settings.PALERMO_RULEBOOK = "broken"
    [error] = rulebook_errors()
    assert error.level == checks.ERROR
    assert "PALERMO_RULEBOOK=broken" in error.msg
    assert "reflection.minimum: missing" in error.msg
    assert "access.break_glass_hours: must be an integer >= 1" in error.msg


def test_a_missing_active_rulebook_stops_the_check_command(rulebook_dir: Path, settings: Any) -> None:
    settings.PALERMO_RULEBOOK = "atlantis"
    with pytest.raises(SystemCheckError, match=r"atlantis\.toml: no such rulebook"):
        call_command("check", stdout=StringIO(), stderr=StringIO())
