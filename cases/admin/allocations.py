"""Allocations in the admin. Offering, accepting, ending and stopping have their flows (and
notices) on the site, so an allocation's state is shown here with a link to the case's staff
page; the one change made here, naming the casefile holder, goes through the holder service."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin

from iar_site.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline, StaffModelAdmin, site_link

from .. import services
from ..models import Allocation, HolderChange
from ..search import ConfidentialCaseSearchMixin

STATE_FIELDS = (
    "case",
    "group",
    "status",
    "offered_at",
    "started_on",
    "ended_on",
    "end_reason",
    "end_notes",
    "stop_confirmed_at",
    "relinquish_requested_at",
    "relinquish_reason",
    "allocated_by",
)


class AllocationAdminForm(forms.ModelForm):
    class Meta:
        model = Allocation
        fields = ("holder",)

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        if "holder" not in self.changed_data:
            return data
        allocation, holder = self.instance, data.get("holder")
        group = allocation.group
        if holder is None:
            self.add_error(
                "holder", "A casefile holder cannot be removed: name another member of the group."
            )
        elif not group.memberships.filter(user=holder).exists():
            self.add_error("holder", f"The casefile holder must be a member of {group}.")
        elif allocation.status != Allocation.Status.ACTIVE:
            self.add_error(
                "holder",
                "The casefile holder can be changed only on an active allocation; on an "
                "offer the group names its holder when it accepts.",
            )
        elif HolderChange.objects.filter(
            allocation=allocation, status=HolderChange.Status.PENDING
        ).exists():
            self.add_error(
                "holder",
                "A change of holder is waiting for approval: approve or reject it on the "
                "coordinator page first.",
            )
        return data


class HolderChangeInline(ReadOnlyTabularInline):
    model = HolderChange
    fields = ("changed_at", "from_user", "to_user", "changed_by", "status", "decided_by")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("from_user", "to_user", "changed_by", "decided_by")
        )


@admin.register(Allocation)
class AllocationAdmin(ConfidentialCaseSearchMixin, StaffModelAdmin):
    form = AllocationAdminForm
    service_errors = (services.CaseError,)
    list_display = (
        "case",
        "group",
        "country",
        "status",
        "holder",
        "offered_at",
        "started_on",
        "ended_on",
        "end_reason",
    )
    list_filter = ("status", "end_reason", "case__country__region", "case__sensitivity")
    search_fields = (
        "case__reference",
        "case__title",
        "group__name",
        "group__town",
        "holder__full_name",
        "holder__email",
    )
    date_hierarchy = "offered_at"
    ordering = ("-offered_at",)
    autocomplete_fields = ("holder",)
    fields = ("site_page", *STATE_FIELDS[:3], "holder", *STATE_FIELDS[3:])
    readonly_fields = ("site_page", *STATE_FIELDS)
    inlines = (HolderChangeInline,)

    # Allocations are offered, accepted, given up and ended on the site (matching, capacity
    # under a lock, notices to the group and the coordinator); the rows are their history.
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case__country", "group", "holder")

    @admin.display(description="country", ordering="case__country__name")
    def country(self, obj: Allocation) -> str:
        return str(obj.case.country)

    @admin.display(description="on the site")
    def site_page(self, obj: Allocation) -> str:
        return site_link(
            "Offer, end or stop on the case's staff page", "staff:case", obj.case.reference
        )

    def save_model(self, request, obj, form, change):
        if "holder" not in form.changed_data:
            return
        # Naming a holder grants access to the case: it goes through the one service (checks,
        # HolderChange row, audit, notices to the coordinator, IAR and the group's
        # administrators). The form has checked it can succeed.
        new_holder = obj.holder
        obj.holder_id = form.initial.get("holder")
        super().save_model(request, obj, form, change)
        services.change_holder(obj, to_user=new_holder, actor=request.user)
        obj.refresh_from_db(fields=["holder"])


@admin.register(HolderChange)
class HolderChangeAdmin(ReadOnlyModelAdmin):
    list_display = ("changed_at", "allocation", "from_user", "to_user", "changed_by", "status")
    list_filter = ("status", "allocation__status")
    search_fields = (
        "allocation__case__reference",
        "allocation__group__name",
        "from_user__full_name",
        "from_user__email",
        "to_user__full_name",
        "to_user__email",
    )
    date_hierarchy = "changed_at"
    ordering = ("-changed_at",)
    fields = (
        "allocation",
        "from_user",
        "to_user",
        "changed_by",
        "changed_at",
        "status",
        "decided_by",
        "decided_at",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "allocation__case", "allocation__group", "from_user", "to_user", "changed_by"
            )
        )
