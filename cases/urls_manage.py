from django.urls import path

from . import views_manage

app_name = "case_manage"

urlpatterns = [
    path("cases/new/", views_manage.create_case, name="create"),
    path("cases/<ref:reference>/edit/", views_manage.edit_case, name="edit"),
    path("cases/<ref:reference>/open/", views_manage.open_case, name="open"),
    path("cases/<ref:reference>/archive/", views_manage.archive_case, name="archive"),
]
