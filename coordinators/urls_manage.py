from django.urls import path

from . import views_manage

app_name = "coordinator_manage"

urlpatterns = [
    path("countries/", views_manage.countries, name="countries"),
    path("countries/<int:pk>/", views_manage.country, name="country"),
]
