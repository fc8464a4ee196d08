from django.urls import path

from . import views, views_requests

app_name = "cases"

urlpatterns = [
    path("ask-for-cases/", views_requests.request_cases, name="request_cases"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/offer/", views.respond_offer, name="respond_offer"),
    path("<str:reference>/holder/", views.change_holder, name="change_holder"),
    path("<str:reference>/give-up/", views.relinquish, name="relinquish"),
    path("<str:reference>/confirm-stop/", views.confirm_stop, name="confirm_stop"),
]
