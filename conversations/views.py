"""The conversation page: read the messages and write one. Works without JavaScript (a plain
form that comes back to the page); with htmx the new message appears in place."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import AuthenticatedHttpRequest, is_member, may_read_case
from cases.downloads import private_file
from cases.models import Allocation, Case
from iar_site import audit

from . import services
from .forms import MessageForm
from .models import Message, MessageAttachment
from .querysets import readable_allocations


def _allocation(request: AuthenticatedHttpRequest, allocation_id: int) -> Allocation:
    # Another group's conversation, or a case of another country, is not found; a member of the
    # group on a confidential case sees the case but not its messages (their role lacks it).
    allocation = get_object_or_404(
        Allocation.objects.visible_to(request.user).select_related(
            "case", "case__country", "case__coordinator__user", "group", "holder"
        ),
        pk=allocation_id,
    )
    if not may_read_case(request.user, allocation.case):
        raise PermissionDenied
    return allocation


def _page(
    request: AuthenticatedHttpRequest, allocation: Allocation, form: MessageForm
) -> HttpResponse:
    case = allocation.case
    context = {
        "allocation": allocation,
        "case": case,
        "thread": Message.objects.filter(allocation=allocation)
        .select_related("author")
        .prefetch_related("attachments"),
        "form": form,
        "may_write": allocation.is_open
        and case.status != Case.Status.CLOSED
        and services.side_of(request.user, allocation) is not None,
        "is_group_side": is_member(request.user, allocation.group_id),
    }
    template = "conversations/_thread.html" if request.htmx else "conversations/thread.html"
    return render(request, template, context)


def thread(request: AuthenticatedHttpRequest, allocation_id: int) -> HttpResponse:
    allocation = _allocation(request, allocation_id)
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("attachment")
            try:
                services.post_message(
                    allocation,
                    body=form.cleaned_data["body"],
                    attachments=[upload] if upload else [],
                    actor=request.user,
                )
            except services.ConversationError as exc:
                form.add_error(None, str(exc))
            else:
                if request.htmx:
                    return _page(request, allocation, MessageForm())
                messages.success(request, "Your message has been sent.")
                return redirect("conversations:thread", allocation.pk)
        # 200 even with errors: htmx swaps only successful responses, and the form with its
        # error summary must replace the old one in place.
        return _page(request, allocation, form)
    audit.record_view("case.viewed_confidential", allocation.case, actor=request.user)
    services.mark_read(allocation, actor=request.user)
    return _page(request, allocation, MessageForm())


def attachment_download(request: AuthenticatedHttpRequest, attachment_id: int) -> FileResponse:
    attachment = get_object_or_404(
        MessageAttachment.objects.filter(message__allocation__in=readable_allocations(request.user))
        .exclude(file="")
        .select_related("message__allocation__case"),
        pk=attachment_id,
    )
    case = attachment.message.allocation.case
    audit.record_view("case.attachment_downloaded", case, actor=request.user, obj=attachment)
    return private_file(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
