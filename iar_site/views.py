from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import Heartbeat


def _check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return False, type(exc).__name__


def _check_broker() -> tuple[bool, str]:
    from .celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker, worker and scheduler: 200 when all are up, 503 naming what is down."""
    checks: dict[str, dict[str, object]] = {}
    ok, detail = _check_database()
    checks["database"] = {"ok": ok, "detail": detail}
    ok, detail = _check_broker()
    checks["broker"] = {"ok": ok, "detail": detail}
    beats = {}
    if checks["database"]["ok"]:
        beats = dict(Heartbeat.objects.values_list("name", "at"))
    now = timezone.now()
    for name in ("worker", "scheduler"):
        at = beats.get(name)
        age = (now - at).total_seconds() if at else None
        fresh = age is not None and age <= settings.HEARTBEAT_MAX_AGE_SECONDS
        checks[name] = {
            "ok": fresh,
            "last_heartbeat": at.isoformat() if at else None,
            "detail": "ok" if fresh else ("never seen" if age is None else f"silent {int(age)}s"),
        }
    down = [name for name, check in checks.items() if not check["ok"]]
    body = {"status": "ok" if not down else "down", "down": down, "checks": checks}
    return JsonResponse(body, status=200 if not down else 503)


@login_not_required
def bench_trivial(request: HttpRequest) -> HttpResponse:
    """The benchmark's baseline: the same server and middleware, no database work."""
    return HttpResponse("ok", content_type="text/plain")


def bench_signed_in(request: HttpRequest) -> HttpResponse:
    """The floor for a signed-in page: the session, the user, their roles and the MFA check that
    every page pays, and nothing else."""
    return HttpResponse("ok", content_type="text/plain")
