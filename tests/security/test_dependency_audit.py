"""`make audit`: a known vulnerability in the lock file fails the build; an unreachable
vulnerability database is reported plainly and does not."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
spec = importlib.util.spec_from_file_location(
    "dependency_audit", ROOT / ".ci" / "dependency_audit.py"
)
dependency_audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dependency_audit)


def fake_run(stdout: str = "", stderr: str = "", returncode: int = 0, exports: list | None = None):
    def run(args, **kwargs):
        if "export" in args:
            if exports is not None:
                exports.append(args)
            return subprocess.CompletedProcess(args, 0, "", "")
        return subprocess.CompletedProcess(args, returncode, stdout, stderr)

    return run


def report(*dependencies) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails_and_names_the_fix(capsys):
    stdout = report(
        {"name": "django", "version": "4.2", "vulns": [
            {"id": "PYSEC-2023-100", "fix_versions": ["4.2.2"], "aliases": []}]},
        {"name": "celery", "version": "5.7.0", "vulns": []},
    )  # fmt: skip

    assert dependency_audit.main(fake_run(stdout, returncode=1)) == 1
    out = capsys.readouterr().out
    assert "django 4.2: PYSEC-2023-100 (fixed in: 4.2.2)" in out
    assert "Known vulnerabilities in the locked dependencies (1)" in out


def test_a_clean_lock_file_passes(capsys):
    stdout = report({"name": "celery", "version": "5.7.0", "vulns": []})

    assert dependency_audit.main(fake_run(stdout)) == 0
    assert "no known vulnerabilities in 1 locked packages" in capsys.readouterr().out


@pytest.mark.parametrize(
    "stderr",
    [
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): "
        "Max retries exceeded",
        "Failed to resolve 'api.osv.dev' ([Errno -2] Name or service not known)",
    ],
)
def test_an_unreachable_database_is_said_plainly_and_does_not_fail(capsys, stderr):
    assert dependency_audit.main(fake_run("", stderr, returncode=1)) == 0
    assert "could not be reached" in capsys.readouterr().out


def test_a_database_that_looks_nothing_up_is_not_a_clean_bill(capsys):
    stdout = report(
        {"name": "celery", "skip_reason": "Dependency not found on PyPI and could not be audited"}
    )

    assert dependency_audit.main(fake_run(stdout)) == 0
    out = capsys.readouterr().out
    assert "could not be reached" in out
    assert "no known vulnerabilities" not in out


def test_any_other_failure_fails_with_its_message(capsys):
    assert dependency_audit.main(fake_run("", "error: unknown option", returncode=2)) == 1
    assert "unknown option" in capsys.readouterr().out


def test_it_audits_the_lock_file_pinned_and_make_test_runs_it():
    exports: list = []
    dependency_audit.main(fake_run(report(), exports=exports))
    assert "--frozen" in exports[0] and "--no-hashes" in exports[0]
    makefile = (ROOT / "Makefile").read_text()
    test_target = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "dependency_audit.py" in test_target
    assert "\naudit:" in makefile
