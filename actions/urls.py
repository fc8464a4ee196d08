"""Urgent Actions, region work, bundles, one-off actions, the meeting planner and calendars, all
under /urgent-actions/."""

from django.urls import path

from . import views, views_record, views_staff

app_name = "actions"

urlpatterns = [
    path("", views.ua_list, name="ua_list"),
    path("<int:pk>/", views.ua_detail, name="ua_detail"),
    path("<int:pk>/calendar.ics", views.ua_calendar, name="ua_calendar"),
    path("<int:pk>/document/", views.ua_document, name="ua_document"),
    path("one-off/<int:pk>/", views.one_off_detail, name="one_off"),
    path("this-month/", views.this_month, name="this_month"),
    path("bundles/<int:pk>/", views.bundle_detail, name="bundle"),
    path("record/<str:what>/<int:pk>/", views_record.record, name="record"),
    path("groups/<int:group_id>/log/", views.log, name="log"),
    path("groups/<int:group_id>/log.<str:fmt>", views.log_export, name="log_export"),
    path("sign-up/", views.signups_index, name="signups_index"),
    path("groups/<int:group_id>/sign-up/", views.signups, name="signups"),
    path("regions/<slug:code>/", views.region, name="region"),
    path("regions/<slug:code>/bulletin/", views.region_bulletin, name="region_bulletin"),
    path("meeting/", views.meeting_index, name="meeting_index"),
    path("groups/<int:group_id>/meeting/", views.meeting, name="meeting"),
    path("groups/<int:group_id>/meeting/pack.pdf", views.meeting_pack, name="meeting_pack"),
    path(
        "groups/<int:group_id>/meeting/calendar.ics",
        views.meeting_calendar,
        name="meeting_calendar",
    ),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/change/", views.calendar_change, name="calendar_change"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("staff/", views_staff.staff_index, name="staff"),
    path("staff/new/", views_staff.ua_new, name="ua_new"),
    path("staff/<int:pk>/edit/", views_staff.ua_edit, name="ua_edit"),
    path("staff/<int:pk>/follow-up/", views_staff.ua_follow_up, name="ua_follow_up"),
    path("staff/<int:pk>/publish/", views_staff.ua_publish, name="ua_publish"),
    path("staff/bundles/new/", views_staff.bundle_new, name="bundle_new"),
    path("staff/bundles/<int:pk>/edit/", views_staff.bundle_edit, name="bundle_edit"),
    path("staff/bundles/<int:pk>/publish/", views_staff.bundle_publish, name="bundle_publish"),
    path("staff/one-off/new/", views_staff.one_off_new, name="one_off_new"),
    path("staff/one-off/<int:pk>/edit/", views_staff.one_off_edit, name="one_off_edit"),
    path(
        "staff/case-requests/<int:pk>/one-off/",
        views_staff.request_one_offs,
        name="request_one_offs",
    ),
]
