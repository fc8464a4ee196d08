from django.urls import path

from . import views_staff

app_name = "staff"

urlpatterns = [
    path("cases/", views_staff.case_list, name="case_list"),
    path("cases/<ref:reference>/", views_staff.case_manage, name="case"),
    path("cases/<ref:reference>/match/", views_staff.match_groups, name="match_groups"),
    path("cases/<ref:reference>/allocate/<int:group_id>/", views_staff.allocate, name="allocate"),
    path("cases/<ref:reference>/stop/", views_staff.stop_case, name="stop_case"),
    path("cases/<ref:reference>/pause/", views_staff.pause_case, name="pause_case"),
    path("cases/<ref:reference>/resume/", views_staff.resume_case, name="resume_case"),
    path("groups/", views_staff.group_list, name="group_list"),
    path("groups/<int:pk>/", views_staff.group_detail, name="group"),
    path("saved-views/", views_staff.save_view, name="save_view"),
    path("saved-views/<int:pk>/delete/", views_staff.delete_view, name="delete_view"),
    path("giving-up/", views_staff.relinquish_requests, name="relinquish_requests"),
    path(
        "giving-up/<int:allocation_id>/confirm/",
        views_staff.confirm_relinquish,
        name="confirm_relinquish",
    ),
    path("stopped/", views_staff.stop_confirmations, name="stop_confirmations"),
]
