from django.urls import path

from . import views_stop

app_name = "stop_requests"

urlpatterns = [
    path("coordinator/cases/<ref:reference>/stop/", views_stop.request_stop, name="request"),
    path("staff/stop-requests/", views_stop.waiting, name="waiting"),
    path("staff/stop-requests/<int:stop_id>/", views_stop.decide, name="decide"),
]
