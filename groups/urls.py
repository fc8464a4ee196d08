from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("my-cases/", views.my_cases, name="my_cases"),
    path("allocations/<int:allocation_id>/record/", views.record_action, name="record_action"),
]
