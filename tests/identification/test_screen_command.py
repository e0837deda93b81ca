"""`palermo screen`: JSON out, exit status 2 for anything it cannot read."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.core.management import base, call_command
from django.core.management.base import CommandError

from palermo.identification.management.commands.screen import Command

pytestmark = pytest.mark.django_db

DECEIVED = "deceived about the nature of the job, location or employer"
POSITIVE_ADULT = [
    {"dimension": "deceptive_recruitment", "indicator": DECEIVED, "answer": "yes"},
    {"dimension": "deceptive_recruitment", "indicator": "deceived about wages or earnings", "answer": "yes"},
    {"dimension": "exploitation", "indicator": "excessive working days or hours", "answer": "yes"},
    {"dimension": "exploitation", "indicator": "low or no salary", "answer": "yes"},
    {"dimension": "coercion_at_destination", "indicator": "debt bondage", "answer": "yes"},
    {"dimension": "coercion_at_destination", "indicator": "violence on victims", "answer": "yes"},
    {"dimension": "coercive_recruitment", "indicator": "violence on victims", "answer": "no"},
]


def write(tmp_path, document) -> str:
    path = tmp_path / "answers.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return str(path)


def screen(capsys, path: str, *flags: str) -> dict:
    call_command("screen", "--instrument", "ilo-2009-labour", *(flags or ("--adult",)), path)
    return json.loads(capsys.readouterr().out)


def exit_status(capsys, *argv: str) -> tuple[int, str]:
    """Run the command as the shell does (run_from_argv), returning its exit status and standard error.

    run_from_argv closes the database connections when it ends; the test's transaction needs them open."""
    with mock.patch.object(base.connections, "close_all"), pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["palermo", "screen", *argv])
    return exited.value.code, capsys.readouterr().err


def test_prints_the_evaluation_as_json(tmp_path, capsys):
    result = screen(capsys, write(tmp_path, {"answers": POSITIVE_ADULT}))
    assert result["victim"] is True
    assert result["instrument"] == {
        "name": "ilo-2009-labour",
        "version": "ilo-2009-labour (secondary transcription)",
        "title": "ILO and European Commission operational indicators, labour exploitation (2009)",
    }
    coercion = result["dimensions"]["coercion_at_destination"]
    assert coercion["verdict"] == "positive"
    assert coercion["indicators"] == [
        {"indicator": "debt bondage", "weight": "strong"},
        {"indicator": "violence on victims", "weight": "strong"},
    ]
    assert result["dimensions"]["coercive_recruitment"]["verdict"] == "insufficient_information"
    assert set(result["dimensions"]) >= {"deceptive_recruitment", "abuse_of_vulnerability_at_destination"}


def test_child_rule_and_weights(tmp_path, capsys):
    answers = [
        {
            "dimension": "deceptive_recruitment",
            "indicator": "deceived about access to education opportunities",
        },
        {"dimension": "deceptive_recruitment", "indicator": "deceived about housing and living conditions"},
        {"dimension": "exploitation", "indicator": "excessive working days or hours"},
        {"dimension": "exploitation", "indicator": "hazardous work"},
    ]
    document = {"answers": [{**a, "answer": "yes"} for a in answers]}
    path = write(tmp_path, document)
    assert screen(capsys, path, "--child")["victim"] is True
    assert screen(capsys, path, "--adult")["victim"] is False


def test_matching_forgives_case_and_spacing(tmp_path, capsys):
    item = {"dimension": "Deceptive recruitment", "indicator": f"  {DECEIVED.upper()} ", "answer": "YES"}
    result = screen(capsys, write(tmp_path, {"answers": [item]}))
    assert result["dimensions"]["deceptive_recruitment"]["indicators"][0]["indicator"] == DECEIVED


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"answers": [{"dimension": "recruitment", "indicator": DECEIVED, "answer": "yes"}]},
            "unknown dimension",
        ),
        (
            {"answers": [{"dimension": "exploitation", "indicator": DECEIVED, "answer": "yes"}]},
            'unknown indicator "deceived about the nature',
        ),
        (
            {"answers": [{"dimension": "exploitation", "indicator": "hazardous work", "answer": "maybe"}]},
            "maybe",
        ),
        ({"answers": [{"dimension": "exploitation", "answer": "yes"}]}, '"indicator" must be'),
        ({"replies": []}, 'an "answers" list'),
        ("{not json", "is not valid JSON (line 1"),
        (
            {
                "answers": [
                    {"dimension": "exploitation", "indicator": "hazardous work", "answer": "yes"},
                    {"dimension": "exploitation", "indicator": "hazardous work", "answer": "no"},
                ]
            },
            "answered twice",
        ),
    ],
)
def test_refuses_with_a_clear_message_and_exit_status_2(tmp_path, capsys, document, message):
    status, err = exit_status(capsys, "--instrument", "ilo-2009-labour", "--adult", write(tmp_path, document))
    assert status == 2
    assert message in err
    assert capsys.readouterr().out == ""


def test_every_problem_is_listed(tmp_path, capsys):
    document = {
        "answers": [
            {"dimension": "nope", "indicator": "x", "answer": "yes"},
            {"dimension": "exploitation", "indicator": "nope", "answer": "yes"},
        ]
    }
    status, err = exit_status(capsys, "--instrument", "ilo-2009-labour", "--child", write(tmp_path, document))
    assert status == 2
    assert "answers[0]: unknown dimension" in err and "answers[1]: unknown indicator" in err
    assert "2 problem(s)" in err


def test_refuses_an_unknown_instrument_or_a_missing_file(tmp_path, capsys):
    path = write(tmp_path, {"answers": []})
    status, err = exit_status(capsys, "--instrument", "no-such-list", "--adult", path)
    assert (status, "unknown instrument 'no-such-list'" in err) == (2, True)
    status, err = exit_status(capsys, "--instrument", "ilo-2009-labour", "--adult", str(tmp_path / "missing"))
    assert (status, "cannot read" in err) == (2, True)


def test_adult_or_child_must_be_said():
    with pytest.raises(CommandError):
        call_command("screen", "--instrument", "ilo-2009-labour", "x.json")
