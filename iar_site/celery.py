"""The Celery app and the one beat schedule, kept in code so it is reviewed like code.

Run exactly one beat process per deployment; see the README's operations section.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iar_site.settings")

app = Celery("iar_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "heartbeat": {"task": "iar_site.tasks.heartbeat", "schedule": 30.0},
    "relay-outbox": {"task": "notifications.tasks.relay_outbox", "schedule": 60.0},
    "coordinator-silence-digest": {
        "task": "coordinators.tasks.send_coordinator_silence_digest",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    "case-loose-ends": {
        "task": "cases.tasks.sweep_case_loose_ends",
        "schedule": crontab(hour=7, minute=15),
    },
    "case-counters-check": {
        "task": "cases.tasks.check_case_counters",
        "schedule": crontab(hour=4, minute=10, day_of_week="sun"),
    },
    "report-reminders": {
        "task": "groups.tasks.sweep_report_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "enforce-retention": {
        "task": "privacy.tasks.enforce_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    "close-expired-urgent-actions": {
        "task": "actions.tasks.close_expired_urgent_actions",
        "schedule": crontab(hour=0, minute=15),
    },
    "weekly-digest": {
        "task": "notifications.tasks.send_weekly_digests",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
}
