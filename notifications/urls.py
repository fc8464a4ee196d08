from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("ops/print/", views.print_queue, name="print_queue"),
    path("ops/print/batches/<int:batch_id>/", views.print_batch, name="print_batch"),
    path("ops/print/batches/<int:batch_id>/pdf/", views.print_batch_pdf, name="print_batch_pdf"),
    path(
        "ops/print/batches/<int:batch_id>/posted/",
        views.print_batch_posted,
        name="print_batch_posted",
    ),
    path("ops/review/", views.review_queue, name="review_queue"),
    path("account/notices/", views.my_notices, name="my_notices"),
]
