"""The outbox and print batches in the admin: read-only records, with one action to cancel
queued messages. Batches are made and posted on the site's print page."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest

from iar_site.admin import ReadOnlyModelAdmin, is_iar_staff, site_link

from . import outbox
from .models import OutboundMessage, PrintBatch

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ItemCount(TypedDict):
    """What the batch list annotates."""

    _items: int


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyModelAdmin):
    list_display = (
        "created_at",
        "template",
        "channel",
        "recipient",
        "case",
        "status",
        "attempts",
        "sent_at",
    )
    list_select_related = ("case",)
    list_filter = ("status", "channel", "template", "routine", "held_for_digest")
    search_fields = ("=idempotency_key", "to_email", "to_name", "case__reference")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    actions = ("cancel_queued",)
    fields = (
        "idempotency_key",
        "channel",
        "template",
        "status",
        "to_email",
        "to_name",
        "postal_address",
        "recipient_user",
        "recipient_group",
        "case",
        "context",
        "routine",
        "print_batch",
        "attempts",
        "last_error",
        "created_at",
        "not_before",
        "claimed_at",
        "sent_at",
        "held_for_digest",
        "digest",
    )

    @admin.display(description="to")
    def recipient(self, obj: OutboundMessage) -> str:
        return obj.to_email or obj.to_name

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        return is_iar_staff(request)

    @admin.action(description="Cancel selected queued messages", permissions=["cancel"])
    def cancel_queued(
        self, request: HttpRequest, queryset: models.QuerySet[OutboundMessage]
    ) -> None:
        selected = list(queryset.values_list("pk", flat=True))
        # Only messages still queued: one a worker has claimed (sending) is for the review
        # queue to decide, and one finished is left alone.
        queued = queryset.filter(status=OutboundMessage.Status.QUEUED).order_by("pk")
        cancelled = 0
        for message_id in queued.values_list("pk", flat=True):
            try:
                outbox.cancel_message(message_id, actor=request.user)
            except outbox.OutboxError:
                continue  # sent or stopped since the list was shown
            cancelled += 1
        skipped = len(selected) - cancelled
        self.message_user(request, f"Cancelled {cancelled} queued message(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected message(s) were not queued any more and were left as they are.",
                messages.WARNING,
            )


@admin.register(PrintBatch)
class PrintBatchAdmin(ReadOnlyModelAdmin):
    """Batches are made and marked posted on the site's print page; here they are looked up."""

    list_display = ("__str__", "created_at", "created_by", "item_count", "posted_at", "posted_by")
    list_filter = (("posted_at", admin.EmptyFieldListFilter),)
    search_fields = ("=id", "created_by__email", "posted_by__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = ("site_page", "created_at", "created_by", "posted_at", "posted_by")
    readonly_fields = ("site_page",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[PrintBatch]:
        batches: models.QuerySet[PrintBatch] = super().get_queryset(request)
        return batches.select_related("created_by", "posted_by").annotate(
            _items=models.Count("items")
        )

    @admin.display(description="items", ordering="_items")
    def item_count(self, obj: WithAnnotations[PrintBatch, ItemCount]) -> int:
        return int(obj._items)

    @admin.display(description="on the site")
    def site_page(self, obj: PrintBatch) -> str:
        return site_link("Print or mark posted", "notifications:print_batch", obj.pk)
