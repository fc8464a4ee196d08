"""Staff operations pages (the print queue and the review queue) and a member's notice choice."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from groups.models import Membership

from . import digest, outbox, printqueue
from .models import OutboundMessage, PrintBatch

LIST_LIMIT = 500


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (request.user.is_authenticated and request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# The print queue


class BatchForm(forms.Form):
    items = forms.TypedMultipleChoiceField(
        label="Items to put in the batch",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one item to print.",
            "invalid_choice": "One of the chosen items is not waiting to be printed any more.",
        },
    )

    def __init__(self, *args, items: list[OutboundMessage], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [
            (m.pk, f"{m.to_name}: {m.template.replace('-', ' ')} ({m.created_at:%d %b %Y})")
            for m in items
        ]
        self.fields["items"].initial = [m.pk for m in items]


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
            return redirect("ops:print_batch", batch_id=batch.pk)
    recent = printqueue.batches().order_by("posted_at", "-created_at")[:50]
    return render(
        request, "ops/print_queue.html", {"items": items, "form": form, "batches": recent}
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
    return render(request, "ops/print_batch.html", {"batch": batch, "items": items})


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
    return redirect("ops:print_batch", batch_id=batch.pk)


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
        return redirect("ops:review_queue")
    stuck = list(outbox.review_queue()[:LIST_LIMIT])
    return render(
        request,
        "ops/review_queue.html",
        {
            "stuck": stuck,
            "minutes": settings.OUTBOX_REVIEW_AFTER_MINUTES,
            "now": timezone.now(),
        },
    )


# A member's choice of immediate notices or a weekly digest


class NoticesForm(forms.Form):
    def __init__(self, *args, memberships: list[Membership], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for membership in memberships:
            self.fields[f"group_{membership.group_id}"] = forms.ChoiceField(
                label=f"Routine notices from {membership.group.name}",
                choices=Membership.Notices.choices,
                initial=membership.notices,
                widget=forms.RadioSelect,
                help_text="Reminders and notices that a case has stopped always come at once.",
                error_messages={"required": "Choose how you want to get these notices."},
            )


def my_notices(request: HttpRequest) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(user=request.user, group__is_active=True)
        .select_related("group")
        .order_by("group__name")
    )
    form = NoticesForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and memberships and form.is_valid():
        choices = {m.group_id: form.cleaned_data[f"group_{m.group_id}"] for m in memberships}
        changed = digest.set_notice_choices(request.user, choices=choices, actor=request.user)
        messages.success(
            request,
            "Your choice is saved."
            if changed
            else "Nothing changed: that was your choice already.",
        )
        return redirect("my_notices")
    return render(request, "ops/my_notices.html", {"form": form, "memberships": memberships})
