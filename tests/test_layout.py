"""The layout stays readable: no Python module outside migrations grows past 600 lines, and every
domain app keeps the same anatomy (docs/architecture.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "cases",
    "groups",
    "coordinators",
    "notifications",
    "reporting",
    "actions",
    "conversations",
    "privacy",
    "demo",
    "iar_site",
]
MAX_LINES = 600


def _modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found.append(path)
    return found


def test_the_apps_exist():
    assert all((ROOT / app / "apps.py").exists() for app in APPS)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_600_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by subject"


def test_no_template_or_module_is_left_in_the_old_places():
    # The outbox, the print queue and the demo data moved out of the site package.
    for old in (
        "outbox.py",
        "notify.py",
        "digest.py",
        "printqueue.py",
        "reminders.py",
        "views_ops.py",
        "demo_data.py",
    ):
        assert not (ROOT / "iar_site" / old).exists(), old
    # The site package keeps only operations commands (backup, restore check); seed and
    # benchmark commands belong to demo/.
    for command in ("seed_demo.py", "bench.py", "bench_sweep.py", "seed_scale.py"):
        assert not (ROOT / "iar_site" / "management" / "commands" / command).exists(), command
