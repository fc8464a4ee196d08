from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("staff/history/cases/<ref:reference>/", views.case_history, name="case_history"),
    path("staff/history/cases/<ref:reference>/views/", views.case_view_log, name="case_view_log"),
    path(
        "staff/history/allocations/<int:allocation_id>/",
        views.allocation_history,
        name="allocation_history",
    ),
    path("staff/history/groups/<int:group_id>/", views.group_history, name="group_history"),
    path(
        "staff/history/memberships/<int:membership_id>/",
        views.membership_history,
        name="membership_history",
    ),
    path("staff/history/people/<int:user_id>/", views.person_history, name="person_history"),
    path("staff/people/<int:user_id>/erase/", views.erase, name="erase"),
    path("account/my-data/", views.my_data, name="my_data"),
    path("account/my-data.json", views.my_data_json, name="my_data_json"),
    path("account/my-data.pdf", views.my_data_pdf, name="my_data_pdf"),
]
