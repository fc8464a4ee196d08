from django.urls import path

from . import views, views_interim, views_post, views_settings, views_solidarity

app_name = "groups"

urlpatterns = [
    path("my-cases/", views.my_cases, name="my_cases"),
    path("allocations/<int:allocation_id>/record/", views.record_action, name="record_action"),
    path("actions/<int:activity_id>/edit/", views.edit_action, name="edit_action"),
    path("actions/<int:activity_id>/delete/", views.delete_action, name="delete_action"),
    path("cases/<ref:reference>/", views.group_case, name="case"),
    path(
        "cases/<ref:reference>/casefile/<int:version>/",
        views.casefile_download,
        name="casefile",
    ),
    path("cases/<ref:reference>/letters/", views.appeal_letter, name="letters"),
    path("cases/<ref:reference>/labels.pdf", views.address_labels, name="labels"),
    path("cases/<ref:reference>/solidarity/", views_solidarity.solidarity, name="solidarity"),
    path("allocations/<int:allocation_id>/reports/", views.reports, name="reports"),
    path(
        "allocations/<int:allocation_id>/news/",
        views_interim.interim_report,
        name="interim_report",
    ),
    path(
        "allocations/<int:allocation_id>/reports/<str:period_start>/",
        views.report,
        name="report",
    ),
    path(
        "allocations/<int:allocation_id>/reports/<str:period_start>/pdf/",
        views.report_pdf,
        name="report_pdf",
    ),
    path("post-returns/", views_post.post_returns_page, name="post_returns"),
    path(
        "post-returns/<int:allocation_id>/report/",
        views_post.posted_report,
        name="posted_report",
    ),
    path("settings/", views_settings.settings_index, name="settings_index"),
    path("<int:group_id>/settings/", views_settings.group_settings, name="settings"),
    path("<int:group_id>/members/invite/", views_settings.invite_member, name="invite_member"),
    path(
        "<int:group_id>/members/<int:membership_id>/role/",
        views_settings.member_role,
        name="member_role",
    ),
    path(
        "<int:group_id>/members/<int:membership_id>/remove/",
        views_settings.member_remove,
        name="member_remove",
    ),
    path(
        "<int:group_id>/actions.<str:fmt>",
        views_settings.export_actions,
        name="export_actions",
    ),
]
