from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from accounts import sessions

from . import home, views
from .converters import ReferenceConverter

register_converter(ReferenceConverter, "ref")

# The admin logs in through the site's own login (rate limits and MFA apply there too).
# allauth documents wrapping the bound method; django-stubs forbids assigning to a method.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "IAR Casework administration"
admin.site.site_title = "IAR Casework admin"

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("session/keep-alive/", sessions.keep_alive, name="session_keep_alive"),
    path("invitations/", include("accounts.urls")),
    # Case requests (/cases/ask-for-cases/, /staff/case-requests/...): before cases' own URLs,
    # whose case reference would otherwise match "ask-for-cases".
    path("", include("groups.urls_requests")),
    path("cases/", include("cases.urls")),
    path("groups/", include("groups.urls")),
    path("urgent-actions/", include("actions.urls")),
    path("staff/", include("iar_site.urls_staff")),
    path("staff/", include("reporting.urls")),
    path("staff/manage/", include("cases.urls_manage")),
    path("staff/manage/", include("groups.urls_manage")),
    path("staff/manage/", include("coordinators.urls_manage")),
    path("coordinator/", include("coordinators.urls")),
    path("coordinator/", include("cases.urls_casefile")),
    path("messages/", include("conversations.urls")),
    path("", include("coordinators.urls_stop")),
    # History and view log (/staff/history/...), erasure, a person's own data (/account/my-data/).
    path("", include("privacy.urls")),
    path("admin/", admin.site.urls),
    # The print and review queues (/ops/...) and a member's notice choice (/account/notices/).
    path("", include("notifications.urls")),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns += [
        path("bench/trivial", views.bench_trivial),
        path("bench/signed-in", views.bench_signed_in),
    ]
