from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

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
    path("admin/", admin.site.urls),
]
