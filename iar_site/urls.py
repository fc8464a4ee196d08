from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from . import views, views_ops
from .converters import ReferenceConverter

register_converter(ReferenceConverter, "ref")

# The admin logs in through the site's own login (rate limits and MFA apply there too).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "IAR Casework administration"
admin.site.site_title = "IAR Casework admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("invitations/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("groups/", include("groups.urls")),
    path("staff/", include("cases.urls_staff")),
    path("coordinator/", include("coordinators.urls")),
    path("admin/", admin.site.urls),
    path("ops/", include("iar_site.urls_ops")),
    path("account/notices/", views_ops.my_notices, name="my_notices"),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/trivial", views.bench_trivial))
