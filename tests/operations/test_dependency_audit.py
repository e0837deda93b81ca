"""The dependency audit's reading of pip-audit's and npm's reports (.ci/audit.py): a finding is listed with
its advisory and fix, a service out of reach or answering for nothing is said and fails nothing, and only
PALERMO_AUDIT_STRICT=1 turns a finding into a failure."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit.py"


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ci_audit", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_python_finding_is_reported_with_its_fix(audit):
    output = json.dumps(
        {
            "dependencies": [
                {
                    "name": "django",
                    "version": "5.2.0",
                    "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.1"]}],
                },
                {"name": "qrcode", "version": "8.0", "vulns": []},
                {"name": "private-thing", "skip_reason": "Dependency not found on PyPI"},
            ]
        }
    )
    report = audit.read_pip_audit(output, "")
    assert report.reached and report.audited == 2
    assert report.findings == ["django 5.2.0: PYSEC-0000-1 (fixed in 5.2.1)"]
    assert "1 not found on the index" in report.lines()[0]


def test_an_index_that_answers_for_no_package_is_not_an_all_clear(audit):
    output = json.dumps({"dependencies": [{"name": "django", "skip_reason": "not found"}]})
    report = audit.read_pip_audit(output, "")
    assert not report.reached and "not audited" in report.lines()[0]
    unreachable = audit.read_pip_audit(None, "requests.exceptions.ConnectionError: no route\n")
    assert not unreachable.reached and "ConnectionError" in unreachable.note


def test_npm_findings_and_an_unreachable_endpoint(audit):
    found = audit.read_npm_audit(
        json.dumps(
            {
                "vulnerabilities": {
                    "bootstrap": {"severity": "moderate", "range": "<5.3.4", "fixAvailable": True}
                },
                "metadata": {"dependencies": {"total": 3}},
            }
        )
    )
    assert found.reached and found.findings == ["bootstrap <5.3.4: moderate"] and found.audited == 3
    refused = audit.read_npm_audit(
        json.dumps({"message": "405 Method Not Allowed", "error": {"summary": ""}})
    )
    assert not refused.reached and "405" in refused.note
    assert not audit.read_npm_audit("").reached


def test_only_strict_mode_fails_on_a_finding(audit, monkeypatch):
    finding = audit.Report("pip-audit", True, audited=1, findings=["x 1: ID"])
    monkeypatch.setattr(audit, "run_pip_audit", lambda: finding)
    monkeypatch.setattr(audit, "run_npm_audit", lambda: audit.Report("npm audit", False, note="offline"))
    monkeypatch.delenv("PALERMO_AUDIT_STRICT", raising=False)
    assert audit.main() == 0
    monkeypatch.setenv("PALERMO_AUDIT_STRICT", "1")
    assert audit.main() == 1
