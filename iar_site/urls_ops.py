from django.urls import path

from . import views_ops

app_name = "ops"

urlpatterns = [
    path("print/", views_ops.print_queue, name="print_queue"),
    path("print/batches/<int:batch_id>/", views_ops.print_batch, name="print_batch"),
    path("print/batches/<int:batch_id>/pdf/", views_ops.print_batch_pdf, name="print_batch_pdf"),
    path(
        "print/batches/<int:batch_id>/posted/",
        views_ops.print_batch_posted,
        name="print_batch_posted",
    ),
    path("review/", views_ops.review_queue, name="review_queue"),
]
