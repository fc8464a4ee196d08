from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("<ref:reference>/", views.case_detail, name="detail"),
    path("<ref:reference>/offer/", views.respond_offer, name="respond_offer"),
    path("<ref:reference>/holder/", views.change_holder, name="change_holder"),
    path("<ref:reference>/give-up/", views.relinquish, name="relinquish"),
    path("<ref:reference>/confirm-stop/", views.confirm_stop, name="confirm_stop"),
]
