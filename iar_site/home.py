"""The site's front door: each role lands on its own work at `/`.

Like the root URLconf, this is a composition root that knows every role's page; the import
contracts in pyproject.toml name it as the one exception to "no app imports another's views".
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from accounts import access
from coordinators.views import coordinator_home
from groups.views import my_cases
from reporting.views import staff_home


def home(request: access.AuthenticatedHttpRequest) -> HttpResponse:
    role = access.primary_role(request.user)
    if role == access.STAFF:
        return staff_home(request)
    if role == access.COORDINATOR:
        return coordinator_home(request)
    if role == access.MEMBER:
        return my_cases(request)
    return render(request, "home_no_role.html")
