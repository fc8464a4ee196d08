"""A case's targets and casefile documents, under the coordinator's workspace (/coordinator/)."""

from django.urls import path

from . import views_casefile

app_name = "casefile"

urlpatterns = [
    path("cases/<ref:reference>/targets/new/", views_casefile.target_add, name="target_add"),
    path("cases/<ref:reference>/casefile/", views_casefile.casefile_history, name="history"),
    path("cases/<ref:reference>/casefile/new/", views_casefile.casefile_upload, name="upload"),
    path("casefiles/<int:document_id>/", views_casefile.casefile_download, name="download"),
    path("targets/<int:target_id>/edit/", views_casefile.target_edit, name="target_edit"),
    path("targets/<int:target_id>/retire/", views_casefile.target_retire, name="target_retire"),
]
