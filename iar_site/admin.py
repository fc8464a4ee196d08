"""The admin for IAR staff: the base classes every app's admin uses, and the outbox/audit views.

IAR staff are users with `is_staff`; they hold no Django model permissions, so the permission
checks here look at the flag. Every save and delete made through the admin writes an audit row in
the same transaction as the change (the admin wraps its views in one), naming the fields changed
but never copying narrative text into the log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.http import HttpRequest

from . import audit
from .models import AuditEntry, Heartbeat, OutboundMessage, PrintBatch, SavedView

MAX_VALUE_LENGTH = 100

# Values never copied into the audit log: narrative text (a case summary, a report), free-form
# JSON, and uploaded files (the uploaded name may name the person at risk).
_NAME_ONLY_FIELDS = (models.TextField, models.JSONField, models.FileField)
_SECRET_FIELD_NAMES = frozenset({"password"})


def is_iar_staff(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def _short(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, models.QuerySet | list | tuple | set):
        text = ", ".join(str(item) for item in value)
    elif isinstance(value, datetime.date | datetime.datetime):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


def audit_changes(form: Any) -> dict[str, str | None]:
    """Changed model fields of a form: short values as strings; None where only the name is kept
    (narrative text, files, secrets). Form-only fields (password1, ...) are left out."""
    opts = form._meta.model._meta
    changes: dict[str, str | None] = {}
    for name in form.changed_data:
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:  # a form-only field
            continue
        if name in _SECRET_FIELD_NAMES or isinstance(field, _NAME_ONLY_FIELDS):
            changes[name] = None
        else:
            changes[name] = _short(form.cleaned_data.get(name))
    return changes


class StaffPermissionsMixin:
    """IAR staff may do everything here; nobody else may do anything."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_iar_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_iar_staff(request)

    # Inlines pass the parent object; model admins pass nothing.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_iar_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_iar_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_iar_staff(request)


class ReadOnlyPermissionsMixin(StaffPermissionsMixin):
    """Records of what happened: staff may look, nobody may add, edit or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StaffModelAdmin(StaffPermissionsMixin, admin.ModelAdmin):
    """Base of every admin in the project: staff permissions and an audit row per change."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = audit_changes(form)
        if change and not changes:
            return
        audit.record(
            "admin.changed" if change else "admin.created",
            obj,
            actor=request.user,
            changes=changes,
        )

    def delete_model(self, request, obj):
        # Recorded first: the object has no primary key once deleted.
        audit.record("admin.deleted", obj, actor=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                audit.record("admin.deleted", obj, actor=request.user)
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk is not None:
                audit.record("admin.deleted", inline_form.instance, actor=request.user)
        super().save_formset(request, form, formset, change)
        created = {id(obj) for obj in formset.new_objects}
        changed = {id(obj) for obj, _fields in formset.changed_objects}
        for inline_form in formset.forms:
            instance = inline_form.instance
            if id(instance) in created:
                action = "admin.created"
            elif id(instance) in changed:
                action = "admin.changed"
            else:
                continue
            audit.record(action, instance, actor=request.user, changes=audit_changes(inline_form))


class ReadOnlyModelAdmin(ReadOnlyPermissionsMixin, StaffModelAdmin):
    pass


class StaffTabularInline(StaffPermissionsMixin, admin.TabularInline):
    extra = 0


class StaffStackedInline(StaffPermissionsMixin, admin.StackedInline):
    extra = 0


class ReadOnlyTabularInline(ReadOnlyPermissionsMixin, admin.TabularInline):
    extra = 0
    can_delete = False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "object_repr")
    list_select_related = ("actor",)
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "=object_id", "action", "actor__email", "actor__full_name")
    date_hierarchy = "at"
    ordering = ("-at", "-id")
    fields = ("at", "actor", "action", "object_type", "object_id", "object_repr", "changes")


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
    list_filter = ("status", "channel", "template", "routine")
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
    )

    @admin.display(description="to")
    def recipient(self, obj: OutboundMessage) -> str:
        return obj.to_email or obj.to_name

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        return is_iar_staff(request)

    @admin.action(description="Cancel selected queued messages", permissions=["cancel"])
    def cancel_queued(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        queued = OutboundMessage.Status.QUEUED
        selected = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            # Locked, then updated only while still queued: a message a worker has claimed
            # (sending) or finished is left alone, so the count below is exactly what was stopped.
            rows = list(
                OutboundMessage.objects.select_for_update()
                .filter(pk__in=selected, status=queued)
                .order_by("pk")
            )
            cancelled = OutboundMessage.objects.filter(
                pk__in=[m.pk for m in rows], status=queued
            ).update(status=OutboundMessage.Status.CANCELLED, last_error="cancelled by IAR staff")
            for message in rows:
                message.status = OutboundMessage.Status.CANCELLED
                audit.record(
                    "outbox.cancelled", message, actor=request.user, changes={"status": "cancelled"}
                )
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
    fields = ("created_at", "created_by", "posted_at", "posted_by")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("created_by", "posted_by")
            .annotate(_items=models.Count("items"))
        )

    @admin.display(description="items", ordering="_items")
    def item_count(self, obj: PrintBatch) -> int:
        return obj._items


@admin.register(SavedView)
class SavedViewAdmin(StaffModelAdmin):
    list_display = ("name", "list_name", "user", "created_at")
    list_select_related = ("user",)
    list_filter = ("list_name",)
    search_fields = ("name", "list_name", "user__email", "user__full_name")
    ordering = ("user__full_name", "list_name", "name")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "at")
    search_fields = ("name",)
    ordering = ("name",)


__all__ = [
    "ReadOnlyModelAdmin",
    "ReadOnlyTabularInline",
    "StaffModelAdmin",
    "StaffStackedInline",
    "StaffTabularInline",
    "audit_changes",
    "is_iar_staff",
]


# The outbox's digest fields, shown on the message page (read-only, like the rest of it).
OutboundMessageAdmin.fields = (*OutboundMessageAdmin.fields, "held_for_digest", "digest")
OutboundMessageAdmin.list_filter = (*OutboundMessageAdmin.list_filter, "held_for_digest")
