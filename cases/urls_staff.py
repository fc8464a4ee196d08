"""Staff pages about cases. `iar_site.urls` mounts these under /staff/ in the `staff`
namespace together with `groups.urls_staff` (the pages about groups)."""

from django.urls import path

from . import views_public_action, views_staff, views_withdraw

urlpatterns = [
    path("cases/", views_staff.case_list, name="case_list"),
    path("cases/<ref:reference>/", views_staff.case_manage, name="case"),
    path("cases/<ref:reference>/stop/", views_staff.stop_case, name="stop_case"),
    path("cases/<ref:reference>/pause/", views_staff.pause_case, name="pause_case"),
    path("cases/<ref:reference>/resume/", views_staff.resume_case, name="resume_case"),
    path(
        "cases/<ref:reference>/public-action/",
        views_public_action.public_action,
        name="public_action",
    ),
    path("saved-views/", views_staff.save_view, name="save_view"),
    path("saved-views/<int:pk>/delete/", views_staff.delete_view, name="delete_view"),
    path("giving-up/", views_staff.relinquish_requests, name="relinquish_requests"),
    path(
        "giving-up/<int:allocation_id>/confirm/",
        views_staff.confirm_relinquish,
        name="confirm_relinquish",
    ),
    path("stopped/", views_staff.stop_confirmations, name="stop_confirmations"),
    path(
        "allocations/<int:allocation_id>/withdraw/",
        views_withdraw.withdraw,
        name="withdraw_group",
    ),
]
