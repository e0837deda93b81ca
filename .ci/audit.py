"""The dependency vulnerability audit (docs/decisions/0054): pip-audit over the installed Python packages and
`npm audit` over package-lock.json, each report printed.

An advisory service that cannot be reached, or that answers for no package (a registry mirror without the
vulnerability API), is said plainly and is not a failure: CI never depends on the network to pass. A known
vulnerability is reported with its advisory and the versions that fix it; it fails the run only with
PALERMO_AUDIT_STRICT=1 (the release check), not in the CI of every change.

    .venv/bin/python .ci/audit.py          # or: make audit
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120


@dataclass
class Report:
    tool: str
    reached: bool
    note: str = ""
    audited: int = 0
    findings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.reached:
            return [f"{self.tool}: advisory service not reached ({self.note}); not audited, not a failure"]
        head = f"{self.tool}: {self.audited} packages audited, {len(self.findings)} known vulnerabilities"
        return [head + (f" ({self.note})" if self.note else ""), *(f"  {line}" for line in self.findings)]


def read_pip_audit(output: str | None, error: str) -> Report:
    """pip-audit's JSON report (--format json), or None when it wrote none."""
    if not output:
        last = next((line for line in reversed(error.strip().splitlines()) if line.strip()), "no report")
        return Report("pip-audit", reached=False, note=last.strip()[:200])
    dependencies = json.loads(output).get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    if dependencies and not audited:
        return Report("pip-audit", reached=False, note=f"no answer for any of {len(dependencies)} packages")
    findings = [
        f"{d['name']} {d['version']}: {v['id']}"
        + (f" (fixed in {', '.join(v['fix_versions'])})" if v.get("fix_versions") else " (no fixed version)")
        for d in audited
        for v in d.get("vulns", [])
    ]
    skipped = len(dependencies) - len(audited)
    return Report(
        "pip-audit", True, f"{skipped} not found on the index" if skipped else "", len(audited), findings
    )


def read_npm_audit(output: str) -> Report:
    """`npm audit --json`'s report: advisories by package, or an error object."""
    try:
        report = json.loads(output) if output.strip() else {}
    except json.JSONDecodeError:
        report = {}
    if "vulnerabilities" not in report:
        note = str(report.get("message") or report.get("error", {}).get("summary") or "no report")
        return Report("npm audit", reached=False, note=note[:200])
    findings = [
        f"{name} {item.get('range', '')}: {item.get('severity', '?')}"
        + ("" if item.get("fixAvailable") else " (no fix available)")
        for name, item in sorted(report["vulnerabilities"].items())
    ]
    total = report.get("metadata", {}).get("dependencies", {}).get("total", 0)
    return Report("npm audit", True, audited=int(total), findings=findings)


def run_pip_audit() -> Report:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "pip-audit.json"
        command = [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off"]
        command += ["--timeout", "30", "--format", "json", "--output", str(target)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            return Report("pip-audit", reached=False, note=f"no answer in {TIMEOUT} s")
        except FileNotFoundError:
            return Report("pip-audit", reached=False, note="pip-audit is not installed")
        output = target.read_text() if target.exists() else None
        return read_pip_audit(output, done.stderr)


def run_npm_audit() -> Report:
    npm = shutil.which("npm")
    if npm is None:
        return Report("npm audit", reached=False, note="npm is not installed")
    try:
        done = subprocess.run(  # noqa: S603
            [npm, "audit", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return Report("npm audit", reached=False, note=f"no answer in {TIMEOUT} s")
    return read_npm_audit(done.stdout)


def main() -> int:
    reports = [run_pip_audit(), run_npm_audit()]
    for report in reports:
        print("\n".join(report.lines()))
    found = sum(len(report.findings) for report in reports)
    if found and os.environ.get("PALERMO_AUDIT_STRICT") == "1":
        print(f"{found} known vulnerabilities and PALERMO_AUDIT_STRICT=1: failing", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
