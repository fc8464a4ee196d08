from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("<int:allocation_id>/", views.thread, name="thread"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
