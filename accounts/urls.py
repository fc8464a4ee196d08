from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("new/", views.invite, name="invite"),
    path("accept/<str:token>/", views.accept, name="accept_invitation"),
]
