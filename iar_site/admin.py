"""The admin for IAR staff: the base classes every app's admin uses, and the audit and health views.

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
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from . import audit
from .models import AuditEntry, Heartbeat

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


def audit_before(form: Any, old: models.Model | None) -> dict[str, str]:
    """The values `audit_changes` records as new, as they were in the database before the save
    (`old`, read before it), so the history shows before and after. Only fields whose new value
    is recorded: what is name-only there is name-only here."""
    if old is None:
        return {}
    opts = old._meta
    before: dict[str, str] = {}
    for name, value in audit_changes(form).items():
        if value is None:
            continue
        field = opts.get_field(name)
        current = getattr(old, name)
        before[name] = _short(list(current.all()) if field.many_to_many else current)
    return before


def _stored(obj: models.Model) -> models.Model | None:
    """The object as the database holds it now (before the admin saves the form's changes)."""
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


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


def site_link(text: str, viewname: str, *args: Any) -> str:
    """A link from an admin page to the site page that makes a change through its service."""
    return format_html('<a href="{}">{}</a>', reverse(viewname, args=args), text)


class StaffModelAdmin(StaffPermissionsMixin, admin.ModelAdmin):
    """Base of every admin in the project: staff permissions and an audit row per change.

    Where a save, delete or action goes through an app's service, that service's refusal (one of
    `service_errors`) is shown as a message and the whole change is rolled back, as on the site.
    """

    service_errors: tuple[type[Exception], ...] = ()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.service_errors as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except self.service_errors as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        old = _stored(obj) if change else None
        super().save_model(request, obj, form, change)
        changes = audit_changes(form)
        if change and not changes:
            return
        audit.record(
            "admin.changed" if change else "admin.created",
            obj,
            actor=request.user,
            changes=changes,
            before=audit_before(form, old),
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
        olds = {
            id(inline_form.instance): _stored(inline_form.instance)
            for inline_form in formset.forms
            if inline_form.instance.pk is not None and inline_form.has_changed()
        }
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
            audit.record(
                action,
                instance,
                actor=request.user,
                changes=audit_changes(inline_form),
                before=audit_before(inline_form, olds.get(id(instance))),
            )


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
    fields = (
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changes",
        "before",
        "case_id",
    )


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
    "audit_before",
    "audit_changes",
    "is_iar_staff",
    "site_link",
]
