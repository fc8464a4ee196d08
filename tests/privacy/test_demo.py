"""After `seed_demo`, the History and view log pages have something to show, and every demo login
has its own data page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases.models import Case
from iar_site.audit import VIEW_ACTIONS
from iar_site.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_demo_logins_see_the_history_view_log_and_their_data():
    call_command("seed_demo", stdout=StringIO())
    viewed = AuditEntry.objects.filter(action__in=VIEW_ACTIONS).exclude(case_id=None).first()
    assert viewed is not None
    case = Case.objects.get(pk=viewed.case_id)
    assert case.sensitivity == Case.Sensitivity.CONFIDENTIAL

    staff = Client()
    staff.force_login(User.objects.get(email="staff@demo.example"))
    case_page = staff.get(reverse("staff:case", args=[case.reference])).content.decode()
    assert reverse("privacy:case_view_log", args=[case.reference]) in case_page
    log = staff.get(reverse("privacy:case_view_log", args=[case.reference])).content.decode()
    assert "Opened the case" in log and "Downloaded an appeal letter" in log
    history = staff.get(reverse("privacy:case_history", args=[case.reference])).content.decode()
    assert "Case paused" in history and "Case resumed" in history
    # The audit of the demo never names the person of the confidential case either.
    assert case.title not in str(list(AuditEntry.objects.values_list("object_repr", "changes")))

    for email in ("staff", "coordinator", "holder", "member"):
        person = Client()
        person.force_login(User.objects.get(email=f"{email}@demo.example"))
        page = person.get(reverse("privacy:my_data"))
        assert page.status_code == 200
        assert f"{email}@demo.example" in page.content.decode()
