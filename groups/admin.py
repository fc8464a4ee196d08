from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count, Q

from cases.models import Allocation
from iar_site.admin import StaffModelAdmin, StaffTabularInline, site_link

from .models import Activity, AnnualReport, CaseRequest, LocalGroup, Membership

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class GroupCounts(TypedDict):
    """What the group list annotates."""

    _open_allocations: int
    _members: int


class MembershipInline(StaffTabularInline):
    """The group's members. The person is shown, not edited, so a large group renders without a
    query per row; people join through the row below."""

    model = Membership
    fields = ("user", "user_email", "role", "joined_on", "notices")
    readonly_fields = ("user", "user_email")
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
    fields = ("user", "role", "joined_on")
    autocomplete_fields = ("user",)
    extra = 1
    can_delete = False
    verbose_name = "new member"
    verbose_name_plural = "add members"

    def get_queryset(self, request):
        return super().get_queryset(request).none()


@admin.register(LocalGroup)
class LocalGroupAdmin(StaffModelAdmin):
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

    @admin.display(description="members", ordering="_members")
    def member_count(self, obj: WithAnnotations[LocalGroup, GroupCounts]) -> int:
        return obj._members


@admin.register(Membership)
class MembershipAdmin(StaffModelAdmin):
    list_display = ("user", "user_email", "group", "role", "joined_on", "notices")
    list_select_related = ("user", "group")
    list_filter = ("role", "notices", "group__is_active")
    search_fields = ("user__full_name", "user__email", "group__name", "group__town")
    date_hierarchy = "joined_on"
    ordering = ("group__name", "user__full_name")
    autocomplete_fields = ("user", "group")

    @admin.display(description="email", ordering="user__email")
    def user_email(self, obj: Membership) -> str:
        return obj.user.email


@admin.register(Activity)
class ActivityAdmin(StaffModelAdmin):
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
class AnnualReportAdmin(StaffModelAdmin):
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
