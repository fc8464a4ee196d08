from django.urls import path

from . import views_manage

app_name = "group_manage"

urlpatterns = [
    path("groups/new/", views_manage.create_group, name="create"),
    path("groups/<int:pk>/edit/", views_manage.edit_group, name="edit"),
    path("groups/<int:pk>/close/", views_manage.deactivate_group, name="deactivate"),
    path("groups/<int:pk>/reopen/", views_manage.reactivate_group, name="reactivate"),
]
