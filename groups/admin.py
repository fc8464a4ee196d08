from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.db.models import Count, Q

from cases.models import Allocation
from cases.search import ConfidentialCaseSearchMixin
from iar_site import audit
from iar_site.admin import (
    ReadOnlyModelAdmin,
    StaffModelAdmin,
    StaffTabularInline,
    audit_before,
    audit_changes,
    site_link,
)
from notifications.services import set_notice_choices

from .models import (
    Activity,
    AnnualReport,
    CaseRequest,
    InterimReport,
    LocalGroup,
    Membership,
)
from .services import (
    SETTINGS_FIELDS,
    GroupError,
    add_member,
    change_member_role,
    remove_member,
    update_group_settings,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class GroupCounts(TypedDict):
    """What the group list annotates."""

    _open_allocations: int
    _members: int


def save_membership_change(membership: Membership, changed: list[str], data: dict, actor) -> None:
    """A member's role and notice choice changed in the admin, through their services (the
    group keeps an administrator; notices held for a digest are released)."""
    if "role" in changed:
        change_member_role(membership, role=data["role"], actor=actor)
    if "notices" in changed:
        set_notice_choices(
            membership.user, choices={membership.group_id: data["notices"]}, actor=actor
        )


class MembershipInline(StaffTabularInline):
    """The group's members. The person is shown, not edited, so a large group renders without a
    query per row; people join through the row below. Role, notices and removal go through the
    group services (see LocalGroupAdmin.save_formset)."""

    model = Membership
    fields = ("user", "user_email", "role", "joined_on", "notices")
    readonly_fields = ("user", "user_email", "joined_on")
    verbose_name_plural = "members"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="email")
    def user_email(self, obj: Membership) -> str:
        return obj.user.email


class AddMembershipInline(StaffTabularInline):
    model = Membership
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 1
    can_delete = False
    verbose_name = "new member"
    verbose_name_plural = "add members"

    def get_queryset(self, request):
        return super().get_queryset(request).none()


@admin.register(LocalGroup)
class LocalGroupAdmin(StaffModelAdmin):
    """A group's name, town and whether it is active are edited here; its settings (how it
    hears from IAR, what cases it would like) and its members go through the group services,
    as on the group's own settings page, with their checks and audit entries."""

    service_errors = (GroupError,)
    list_display = (
        "name",
        "town",
        "channel",
        "contact_email",
        "capacity",
        "open_allocations",
        "member_count",
        "next_meeting",
        "is_active",
    )
    list_filter = (
        "is_active",
        "channel",
        "preferred_kind",
        "preferred_gender",
        "preferred_regions",
        "preferred_themes",
    )
    search_fields = ("name", "town", "contact_email", "postal_address")
    ordering = ("name",)
    filter_horizontal = ("preferred_regions", "preferred_themes")
    readonly_fields = ("created_at",)
    inlines = (MembershipInline, AddMembershipInline)
    fieldsets = (
        (None, {"fields": ("name", "town", "postal_address", "is_active", "created_at")}),
        ("Contact", {"fields": ("contact_email", "channel", "next_meeting")}),
        (
            "Preferences",
            {
                "fields": (
                    "capacity",
                    "preferred_regions",
                    "preferred_themes",
                    "preferred_gender",
                    "preferred_kind",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Two to-many joins: distinct counts, or each would multiply the other.
                _open_allocations=Count(
                    "allocations",
                    filter=Q(allocations__status__in=Allocation.OPEN_STATUSES),
                    distinct=True,
                ),
                _members=Count("memberships", distinct=True),
            )
        )

    @admin.display(description="open allocations", ordering="_open_allocations")
    def open_allocations(self, obj: WithAnnotations[LocalGroup, GroupCounts]) -> int:
        return obj._open_allocations

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # The settings are put back as stored and set by the service, which checks them (a
        # contact email for email, a capacity in range) and records what changed.
        stored = LocalGroup.objects.get(pk=obj.pk)
        for field in SETTINGS_FIELDS:
            setattr(obj, field, getattr(stored, field))
        handled = {*SETTINGS_FIELDS, "preferred_regions", "preferred_themes"}
        changes = {k: v for k, v in audit_changes(form).items() if k not in handled}
        if changes:
            obj.save()
            before = {k: v for k, v in audit_before(form, stored).items() if k in changes}
            audit.record("admin.changed", obj, actor=request.user, changes=changes, before=before)
        data = form.cleaned_data
        update_group_settings(
            obj,
            values={field: data[field] for field in SETTINGS_FIELDS if field in data},
            regions=list(data["preferred_regions"]),
            themes=list(data["preferred_themes"]),
            actor=request.user,
        )

    def save_related(self, request, form, formsets, change):
        if not change:
            super().save_related(request, form, formsets, change)
            return
        # Preferred regions and issues were set by update_group_settings in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        actor = request.user
        deleted = [f for f in formset.deleted_forms if f.instance.pk is not None]
        changed = [f for f in formset.initial_forms if f not in deleted and f.has_changed()]
        # New administrators first, so a group is never left without one in between.
        changed.sort(key=lambda f: f.cleaned_data.get("role") != Membership.Role.ADMIN)
        for inline_form in changed:
            save_membership_change(
                inline_form.instance, inline_form.changed_data, inline_form.cleaned_data, actor
            )
        for inline_form in deleted:
            remove_member(inline_form.instance, actor=actor)
        new = []
        for inline_form in formset.extra_forms:
            if not inline_form.has_changed() or inline_form.cleaned_data.get("DELETE"):
                continue
            data = inline_form.cleaned_data
            new.append(add_member(form.instance, data["user"], role=data["role"], actor=actor))
        # What the admin's history message lists.
        formset.new_objects = new
        formset.changed_objects = [(f.instance, f.changed_data) for f in changed]
        formset.deleted_objects = [f.instance for f in deleted]

    @admin.display(description="members", ordering="_members")
    def member_count(self, obj: WithAnnotations[LocalGroup, GroupCounts]) -> int:
        return obj._members


@admin.register(Membership)
class MembershipAdmin(StaffModelAdmin):
    """A member's role and notices change, and a member is removed, through the group services;
    people are added on their group's admin page ("add members") or by an invitation."""

    service_errors = (GroupError,)
    list_display = ("user", "user_email", "group", "role", "joined_on", "notices")
    list_select_related = ("user", "group")
    list_filter = ("role", "notices", "group__is_active")
    search_fields = ("user__full_name", "user__email", "group__name", "group__town")
    date_hierarchy = "joined_on"
    ordering = ("group__name", "user__full_name")
    fields = ("user", "group", "joined_on", "role", "notices")
    readonly_fields = ("user", "group", "joined_on")

    def has_add_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        save_membership_change(obj, form.changed_data, form.cleaned_data, request.user)

    def delete_model(self, request, obj):
        remove_member(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        # Each removal on its own: one refused (the last administrator, a casefile holder) is
        # explained and the others still go.
        for membership in queryset.select_related("user", "group"):
            try:
                remove_member(membership, actor=request.user)
            except GroupError as exc:
                self.message_user(request, str(exc), messages.ERROR)

    @admin.display(description="email", ordering="user__email")
    def user_email(self, obj: Membership) -> str:
        return obj.user.email


@admin.register(Activity)
class ActivityAdmin(ConfidentialCaseSearchMixin, StaffModelAdmin):
    case_path = "allocation__case"
    list_display = ("date", "kind", "allocation", "count", "outcome", "recorded_by")
    list_select_related = ("allocation__case", "allocation__group", "recorded_by")
    list_filter = ("kind", "outcome", "allocation__case__country__region")
    search_fields = (
        "allocation__case__reference",
        "allocation__case__title",
        "allocation__group__name",
        "allocation__group__town",
    )
    date_hierarchy = "date"
    ordering = ("-date", "-id")
    autocomplete_fields = ("allocation", "recorded_by")
    readonly_fields = ("created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AnnualReport)
class AnnualReportAdmin(ConfidentialCaseSearchMixin, StaffModelAdmin):
    case_path = "allocation__case"
    """A report is written and submitted by its group and acknowledged by the coordinator on the
    site (the services pre-fill it, tell the coordinator and the group); here its state is shown
    with a link to the page that moves it on."""

    list_display = (
        "allocation",
        "period_start",
        "period_end",
        "status",
        "submitted_at",
        "acknowledged_at",
    )
    list_select_related = ("allocation__case", "allocation__group")
    list_filter = ("status", "allocation__case__country__region")
    search_fields = (
        "allocation__case__reference",
        "allocation__case__title",
        "allocation__group__name",
    )
    date_hierarchy = "period_end"
    ordering = ("-period_end",)
    readonly_fields = (
        "site_page",
        "allocation",
        "period_start",
        "period_end",
        "status",
        "submitted_at",
        "submitted_by",
        "acknowledged_at",
        "acknowledged_by",
        "acknowledgement",
    )
    fields = (
        *readonly_fields[:5],
        "what_worked",
        "media_coverage",
        "plans",
        "concerns",
        *readonly_fields[5:],
    )

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="on the site")
    def site_page(self, obj: AnnualReport) -> str:
        return site_link("Read or acknowledge the report", "coordinators:report_detail", obj.pk)


@admin.register(CaseRequest)
class CaseRequestAdmin(StaffModelAdmin):
    """Groups ask for cases on the site; IAR answers there (allocating cases and telling the
    group, through the service). Here a request's answer is shown with a link to that page."""

    list_display = ("group", "number", "meeting_date", "status", "created_at", "fulfilled_at")
    list_filter = ("status", "preferred_regions", "preferred_themes")
    search_fields = ("group__name", "group__town")
    date_hierarchy = "meeting_date"
    ordering = ("meeting_date", "created_at")
    filter_horizontal = ("preferred_regions", "preferred_themes")
    readonly_fields = (
        "site_page",
        "group",
        "requested_by",
        "created_at",
        "status",
        "fulfilled_at",
        "fulfilled_by",
        "response",
    )
    fields = (
        *readonly_fields[:4],
        "number",
        "meeting_date",
        "preferred_regions",
        "preferred_themes",
        "notes",
        *readonly_fields[4:],
    )

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group")

    @admin.display(description="on the site")
    def site_page(self, obj: CaseRequest) -> str:
        return site_link("Answer the request", "case_requests:case_request", obj.pk)


@admin.register(InterimReport)
class InterimReportAdmin(ReadOnlyModelAdmin):
    """Read-only: a group sends news from its case page; the coordinator reads it there."""

    list_display = ("allocation", "submitted_by", "submitted_at")
    search_fields = ("allocation__case__reference", "allocation__group__name")
    date_hierarchy = "submitted_at"
    ordering = ("-submitted_at",)
    list_select_related = ("allocation__case", "allocation__group", "submitted_by")
