"""Known vulnerabilities in the locked dependencies (`make audit`, part of `make test`).

Exports the lock file as pinned requirements (uv export) and asks pip-audit about exactly those
versions. A known vulnerability fails the build and names the package, the advisory and the
version that fixes it. When the vulnerability database cannot be reached (no network, the
service down), it says so plainly and does not fail the build: an outage elsewhere must not stop
work here, and the next run with a network checks again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 300
# What pip-audit prints when it cannot reach its vulnerability service.
UNREACHABLE = (
    "connectionerror",
    "connection error",
    "max retries exceeded",
    "name or service not known",
    "temporary failure in name resolution",
    "failed to establish a new connection",
    "network is unreachable",
    "timed out",
    "read timeout",
    "service unavailable",
    "503",
)

Runner = Callable[..., subprocess.CompletedProcess]


def uv() -> str:
    local = ROOT / ".tools" / "bin" / "uv"
    return os.environ.get("UV") or (str(local) if local.exists() else "uv")


def export_requirements(run: Runner, target: Path) -> None:
    run(
        [uv(), "export", "--frozen", "--no-hashes", "--no-emit-project", "--format",
         "requirements-txt", "--output-file", str(target)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip


def audit(run: Runner, requirements: Path) -> subprocess.CompletedProcess:
    return run(
        [sys.executable, "-m", "pip_audit", "--requirement", str(requirements), "--no-deps",
         "--disable-pip", "--format", "json", "--progress-spinner", "off"],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
    )  # fmt: skip


def read_report(stdout: str) -> tuple[list[str], int, int] | None:
    """(one line per known vulnerability, packages audited, packages skipped), or None when the
    output is not an audit report."""
    try:
        report = json.loads(stdout)
    except ValueError:
        return None
    dependencies = report.get("dependencies") if isinstance(report, dict) else report
    if not isinstance(dependencies, list):
        return None
    lines, audited, skipped = [], 0, 0
    for dependency in dependencies:
        # A package the service could not look up was not audited at all: counted apart, so
        # a database that answers nothing is never taken for a clean bill of health.
        if dependency.get("skip_reason"):
            skipped += 1
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(
                f"{dependency['name']} {dependency.get('version', '?')}: {vuln['id']} "
                f"(fixed in: {fixed})"
            )
    return lines, audited, skipped


UNREACHABLE_MESSAGE = (
    "Dependency audit skipped: the vulnerability database could not be reached (no network?). "
    "The build goes on; run `make audit` again when online."
)


def main(run: Runner = subprocess.run) -> int:
    with tempfile.TemporaryDirectory() as folder:
        requirements = Path(folder) / "requirements.txt"
        export_requirements(run, requirements)
        try:
            result = audit(run, requirements)
        except subprocess.TimeoutExpired:
            print("Dependency audit skipped: the vulnerability database did not answer in time.")
            return 0
    report = read_report(result.stdout)
    if report is not None:
        vulnerable, audited, skipped = report
        if vulnerable:
            print(f"Known vulnerabilities in the locked dependencies ({len(vulnerable)}):")
            for line in vulnerable:
                print(f"  {line}")
            print("Upgrade each package to a fixed version (uv lock --upgrade-package NAME).")
            return 1
        if audited == 0:
            print(UNREACHABLE_MESSAGE)
            return 0
        note = f" ({skipped} could not be looked up)" if skipped else ""
        print(f"Dependency audit: no known vulnerabilities in {audited} locked packages{note}.")
        return 0
    errors = (result.stderr or "") + (result.stdout or "")
    if any(marker in errors.lower() for marker in UNREACHABLE):
        print(UNREACHABLE_MESSAGE)
        return 0
    print("Dependency audit failed to run:")
    print(errors.strip())
    return 1


if __name__ == "__main__":
    sys.exit(main())
