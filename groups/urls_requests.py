"""Case requests: a group asks IAR for cases ahead of a meeting (/cases/ask-for-cases/), and IAR
staff answer them (/staff/case-requests/). Included at the site's root, before cases' URLs."""

from django.urls import path

from . import views_requests

app_name = "case_requests"

urlpatterns = [
    path("cases/ask-for-cases/", views_requests.request_cases, name="request_cases"),
    path(
        "cases/ask-for-cases/<int:pk>/cancel/",
        views_requests.cancel_request,
        name="cancel_request",
    ),
    path("staff/case-requests/", views_requests.case_requests, name="case_requests"),
    path("staff/case-requests/<int:pk>/", views_requests.case_request, name="case_request"),
]
