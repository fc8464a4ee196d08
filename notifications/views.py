"""Staff operations pages (the print queue and the review queue) and a member's notice choice."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import staff_required

from . import outbox, printqueue, services
from .forms import BatchForm, NoticesForm
from .models import PrintBatch

if TYPE_CHECKING:
    from accounts.models import User

LIST_LIMIT = 500


# The print queue


@staff_required
def print_queue(request: HttpRequest) -> HttpResponse:
    items = list(printqueue.waiting_items()[:LIST_LIMIT])
    form = BatchForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            batch = printqueue.create_print_batch(
                actor=request.user, message_ids=form.cleaned_data["items"]
            )
        except printqueue.PrintError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Print batch {batch.pk} is ready to download and print.")
            return redirect("notifications:print_batch", batch_id=batch.pk)
    recent = printqueue.batches().order_by("posted_at", "-created_at")[:50]
    return render(
        request, "notifications/print_queue.html", {"items": items, "form": form, "batches": recent}
    )


def _batch_or_404(batch_id: int) -> PrintBatch:
    batch = printqueue.batches().filter(pk=batch_id).first()
    if batch is None:
        raise Http404("No such print batch")
    return batch


@staff_required
def print_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(batch_id)
    items = batch.items.select_related("case").order_by("to_name", "created_at", "pk")
    return render(request, "notifications/print_batch.html", {"batch": batch, "items": items})


@staff_required
def print_batch_pdf(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(batch_id)
    response = HttpResponse(printqueue.batch_pdf(batch), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="print-batch-{batch.pk}.pdf"'
    return response


@staff_required
@require_POST
def print_batch_posted(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(batch_id)
    try:
        sent = printqueue.mark_batch_posted(batch.pk, actor=request.user)
    except printqueue.PrintError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Batch {batch.pk} marked as posted: {sent} item(s) sent.")
    return redirect("notifications:print_batch", batch_id=batch.pk)


# The review queue


REVIEW_ACTIONS = {
    "sent": (outbox.confirm_message_sent, "Recorded as delivered."),
    "requeue": (outbox.requeue_message, "Queued to be sent again."),
    "cancel": (outbox.cancel_message, "Cancelled; it will not be sent."),
}


@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = REVIEW_ACTIONS.get(request.POST.get("action", ""))
        try:
            message_id = int(request.POST.get("message", ""))
        except ValueError:
            message_id = None
        if action is None or message_id is None or message_id < 1:
            messages.error(request, "Choose one of the buttons beside a message.")
        else:
            service, done = action
            try:
                service(message_id, actor=request.user)
            except outbox.OutboxError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Message {message_id}: {done}")
        return redirect("notifications:review_queue")
    stuck = list(outbox.review_queue()[:LIST_LIMIT])
    return render(
        request,
        "notifications/review_queue.html",
        {
            "stuck": stuck,
            "minutes": settings.OUTBOX_REVIEW_AFTER_MINUTES,
            "now": timezone.now(),
        },
    )


# A member's choice of immediate notices or a weekly digest


def my_notices(request: HttpRequest) -> HttpResponse:
    # Only people who are logged in get here (the login middleware sends everyone else to log in).
    user = cast("User", request.user)
    memberships = list(
        user.memberships.filter(group__is_active=True)
        .select_related("group")
        .order_by("group__name")
    )
    form = NoticesForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and memberships and form.is_valid():
        choices = {m.group_id: form.cleaned_data[f"group_{m.group_id}"] for m in memberships}
        changed = services.set_notice_choices(user, choices=choices, actor=user)
        messages.success(
            request,
            "Your choice is saved."
            if changed
            else "Nothing changed: that was your choice already.",
        )
        return redirect("notifications:my_notices")
    return render(
        request, "notifications/my_notices.html", {"form": form, "memberships": memberships}
    )
