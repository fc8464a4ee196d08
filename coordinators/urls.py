from django.urls import path

from . import views

app_name = "coordinators"

urlpatterns = [
    path("", views.coordinator_home, name="home"),
    path("cases/<ref:reference>/", views.case_workspace, name="case"),
    path("cases/<ref:reference>/updates/", views.case_updates, name="case_updates"),
    path("cases/<ref:reference>/updates/new/", views.update_create, name="update_create"),
    path("updates/<int:update_id>/", views.update_detail, name="update_detail"),
    path("updates/<int:update_id>/edit/", views.update_edit, name="update_edit"),
    path("updates/<int:update_id>/publish/", views.update_publish, name="update_publish"),
    path(
        "updates/<int:update_id>/acknowledge/",
        views.update_acknowledge,
        name="update_acknowledge",
    ),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path(
        "attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "holder-changes/<int:change_id>/decide/",
        views.holder_change_decide,
        name="holder_change_decide",
    ),
    path("reports/", views.report_inbox, name="report_inbox"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
]
