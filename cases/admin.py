from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from coordinators.models import CountryCoordinator
from coordinators.uploads import UploadRejected, check_upload
from groups.models import Membership
from iar_site import audit
from iar_site.admin import (
    ReadOnlyModelAdmin,
    ReadOnlyTabularInline,
    StaffModelAdmin,
    StaffStackedInline,
    StaffTabularInline,
)

from . import services
from .models import (
    Allocation,
    CampaignTarget,
    Case,
    CasefileDocument,
    CasePerson,
    CaseUpdate,
    CaseUpdateAttachment,
    CaseUpdateNotice,
    Country,
    HolderChange,
    Region,
    Theme,
)


def validate_casefile(upload) -> None:
    """The same content checks as the coordinators' casefile upload (one allowlist, one limit)."""
    if not isinstance(upload, UploadedFile):
        return  # no new file: none, the stored one unchanged, or cleared
    try:
        check_upload(upload)
    except UploadRejected as exc:
        raise forms.ValidationError(str(exc)) from None


class CasefileDocumentForm(forms.ModelForm):
    class Meta:
        model = CasefileDocument
        fields = ("case", "title", "file", "notes", "uploaded_at")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        validate_casefile(upload)
        return upload


def _lock_case(case: Case) -> Case:
    """The case row, locked until the admin's transaction ends when there is one: the lock is
    what serialises two staff allocating the same case or adding a casefile version at once."""
    if transaction.get_connection().in_atomic_block:
        return Case.objects.select_for_update().get(pk=case.pk)
    return Case.objects.get(pk=case.pk)


def _next_casefile_version(case: Case) -> int:
    _lock_case(case)
    latest = CasefileDocument.objects.filter(case=case).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


class CoordinatorListFilter(admin.RelatedFieldListFilter):
    """The coordinator filter, naming each coordinator without a query per person."""

    def field_choices(self, field, request, model_admin):
        coordinators = CountryCoordinator.objects.select_related("user").order_by("user__full_name")
        return [(c.pk, str(c)) for c in coordinators]


class CurrentTargetFilter(admin.SimpleListFilter):
    title = "current or retired"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "Current"), ("no", "Retired")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(Region)
class RegionAdmin(StaffModelAdmin):
    list_display = ("name", "code", "country_count")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_countries=Count("countries"))

    @admin.display(description="countries", ordering="_countries")
    def country_count(self, obj: Region) -> int:
        return obj._countries


@admin.register(Country)
class CountryAdmin(StaffModelAdmin):
    list_display = ("name", "iso_code", "region")
    list_select_related = ("region",)
    list_filter = ("region",)
    search_fields = ("name", "iso_code", "region__name")
    ordering = ("name",)


@admin.register(Theme)
class ThemeAdmin(StaffModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)


class CaseAdminForm(forms.ModelForm):
    max_groups = forms.IntegerField(
        min_value=1,
        max_value=50,
        initial=2,
        help_text="How many groups may work on the case at once",
    )

    class Meta:
        model = Case
        fields = (
            "reference",
            "title",
            "kind",
            "country",
            "themes",
            "coordinator",
            "sensitivity",
            "status",
            "closing_reason",
            "closed_at",
            "summary",
            "suggested_letter",
            "solidarity_address",
            "max_groups",
            "opened_on",
        )

    def clean(self):
        data = super().clean()
        status = data.get("status")
        before = self.instance.status if self.instance.pk else Case.Status.DRAFT
        # Pausing, resuming and stopping end allocations, hold or cancel messages and tell every
        # group: only the services behind the case's staff page do all of that.
        moves = {before, status} - {Case.Status.DRAFT, Case.Status.OPEN}
        if status and status != before and moves:
            self.add_error(
                "status",
                "Pause, resume or stop a case from its staff page (Cases → the case), so that "
                "every group on it is told.",
            )
            return data
        if status == Case.Status.CLOSED:
            if not data.get("closing_reason"):
                self.add_error("closing_reason", "Choose why the case is closed.")
            if not data.get("closed_at"):
                data["closed_at"] = timezone.now()
        elif status:
            # Only a closed case says why and when it closed: reopening clears both.
            data["closing_reason"] = ""
            data["closed_at"] = None
        return data


class CasePersonInline(StaffTabularInline):
    model = CasePerson
    fields = ("name", "gender", "role")


class CampaignTargetInline(StaffStackedInline):
    model = CampaignTarget
    fields = (
        ("authority", "title"),
        "postal_address",
        ("email", "salutation"),
        ("valid_from", "valid_to"),
    )
    classes = ("collapse",)


class CasefileDocumentInline(StaffTabularInline):
    model = CasefileDocument
    form = CasefileDocumentForm
    fields = ("version", "title", "file", "notes", "uploaded_at", "uploaded_by")
    readonly_fields = ("version", "uploaded_by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(Case)
class CaseAdmin(StaffModelAdmin):
    form = CaseAdminForm
    list_display = (
        "reference",
        "title",
        "country",
        "kind",
        "sensitivity",
        "status",
        "coordinator",
        "open_allocations",
        "opened_on",
    )
    list_display_links = ("reference", "title")
    list_filter = (
        "status",
        "sensitivity",
        "kind",
        "country__region",
        "country",
        ("coordinator", CoordinatorListFilter),
        "themes",
    )
    search_fields = ("reference", "title", "people__name", "country__name")
    date_hierarchy = "opened_on"
    ordering = ("reference",)
    autocomplete_fields = ("country", "coordinator")
    filter_horizontal = ("themes",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (CasePersonInline, CampaignTargetInline, CasefileDocumentInline)
    fieldsets = (
        (None, {"fields": ("reference", "title", "kind", "country", "themes", "coordinator")}),
        ("Status", {"fields": ("sensitivity", "status", "closing_reason", "closed_at")}),
        ("Casework", {"fields": ("summary", "suggested_letter", "solidarity_address")}),
        ("Allocation", {"fields": ("max_groups", "opened_on", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("country", "coordinator__user")
            .annotate(
                _open_allocations=Count(
                    "allocations", filter=Q(allocations__status__in=Allocation.OPEN_STATUSES)
                )
            )
        )

    @admin.display(description="open allocations", ordering="_open_allocations")
    def open_allocations(self, obj: Case) -> int:
        return obj._open_allocations

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Opening a confidential case is logged, as on the site itself.
        if obj is not None and obj.sensitivity == Case.Sensitivity.CONFIDENTIAL:
            audit.record("case.viewed_confidential", obj, actor=request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is CasefileDocument:
            new_forms = [
                f
                for f in formset.extra_forms
                if f.has_changed() and not f.cleaned_data.get("DELETE", False)
            ]
            if new_forms:
                version = _next_casefile_version(form.instance)
                for offset, new_form in enumerate(new_forms):
                    new_form.instance.version = version + offset
                    new_form.instance.uploaded_by = request.user
        elif formset.model is CampaignTarget:
            for new_form in formset.extra_forms:
                new_form.instance.created_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(CasePerson)
class CasePersonAdmin(StaffModelAdmin):
    list_display = ("name", "case", "gender", "role")
    list_select_related = ("case",)
    list_filter = ("gender",)
    search_fields = ("name", "role", "case__reference", "case__title")
    autocomplete_fields = ("case",)
    ordering = ("case__reference", "id")


@admin.register(CampaignTarget)
class CampaignTargetAdmin(StaffModelAdmin):
    list_display = ("authority", "title", "case", "valid_from", "valid_to", "is_current")
    list_filter = (CurrentTargetFilter, "case__country__region")
    search_fields = ("authority", "title", "email", "case__reference", "case__title")
    date_hierarchy = "valid_from"
    ordering = ("case__reference", "-valid_from", "id")
    autocomplete_fields = ("case", "replaces", "created_by")
    readonly_fields = ("created_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case")

    @admin.display(boolean=True, description="current")
    def is_current(self, obj: CampaignTarget) -> bool:
        return obj.is_current

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CasefileDocument)
class CasefileDocumentAdmin(StaffModelAdmin):
    form = CasefileDocumentForm
    list_display = ("case", "version", "title", "uploaded_at", "uploaded_by")
    search_fields = ("title", "case__reference", "case__title")
    date_hierarchy = "uploaded_at"
    ordering = ("case__reference", "-version")
    autocomplete_fields = ("case",)
    fields = ("case", "version", "title", "file", "notes", "uploaded_at", "uploaded_by")
    readonly_fields = ("version", "uploaded_by")

    # Here rather than list_select_related, which the changelist ignores once the queryset
    # already selects related rows; autocomplete and change pages use it too.
    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "uploaded_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = _next_casefile_version(obj.case)
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


class AllocationAdminForm(forms.ModelForm):
    class Meta:
        model = Allocation
        fields = (
            "case",
            "group",
            "status",
            "holder",
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

    def clean(self):
        data = super().clean()
        status = data.get("status")
        case, group, holder = data.get("case"), data.get("group"), data.get("holder")
        if status == Allocation.Status.ACTIVE and not data.get("started_on"):
            self.add_error("started_on", "An active allocation needs the date work started.")
        if status == Allocation.Status.ENDED:
            if not data.get("ended_on"):
                self.add_error("ended_on", "Give the date the allocation ended.")
            if not data.get("end_reason"):
                self.add_error("end_reason", "Choose why the allocation ended.")
        elif status:
            if data.get("ended_on"):
                self.add_error("ended_on", "Only an ended allocation has an end date.")
            if data.get("end_reason"):
                self.add_error("end_reason", "Only an ended allocation has an end reason.")
        if holder and group and not Membership.objects.filter(user=holder, group=group).exists():
            self.add_error("holder", f"The casefile holder must be a member of {group}.")
        elif holder and self.instance.pk and "holder" in self.changed_data:
            # A new holder on an existing allocation goes through services.change_holder (the
            # same checks, row, audit and notices as a change made by the group).
            if status != Allocation.Status.ACTIVE:
                self.add_error(
                    "holder",
                    "The casefile holder can be changed only on an active allocation; on an "
                    "offer the group names its holder when it accepts.",
                )
            elif HolderChange.objects.filter(
                allocation=self.instance, status=HolderChange.Status.PENDING
            ).exists():
                self.add_error(
                    "holder",
                    "A change of holder is waiting for approval: approve or reject it on the "
                    "coordinator page first.",
                )
        if case and status in Allocation.OPEN_STATUSES:
            limit = _lock_case(case).max_groups
            others = (
                Allocation.objects.filter(case=case, status__in=Allocation.OPEN_STATUSES)
                .exclude(pk=self.instance.pk)
                .count()
            )
            if others >= limit:
                self.add_error(
                    "case",
                    f"{case.reference} already has {others} open allocation(s), the most it "
                    f"allows. End one first or raise the case's maximum number of groups.",
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
class AllocationAdmin(StaffModelAdmin):
    form = AllocationAdminForm
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
    autocomplete_fields = ("case", "group", "holder", "allocated_by")
    inlines = (HolderChangeInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case__country", "group", "holder")

    @admin.display(description="country", ordering="case__country__name")
    def country(self, obj: Allocation) -> str:
        return str(obj.case.country)

    def save_model(self, request, obj, form, change):
        if not change and obj.allocated_by_id is None:
            obj.allocated_by = request.user
        new_holder = obj.holder
        # Naming a new holder on an existing allocation grants access to the case: it goes
        # through the one service (checks, HolderChange row, audit, notices to the coordinator,
        # IAR and the group's administrators). The form has checked it can succeed.
        through_service = change and "holder" in form.changed_data and new_holder is not None
        if through_service:
            obj.holder_id = form.initial.get("holder")
        super().save_model(request, obj, form, change)
        if through_service:
            services.change_holder(obj, to_user=new_holder, actor=request.user)
            obj.refresh_from_db(fields=["holder"])
        # Every other change of casefile holder (the first holder, or none) is a row too.
        elif "holder" in form.changed_data and (change or obj.holder_id is not None):
            HolderChange.objects.create(
                allocation=obj,
                from_user_id=form.initial.get("holder") if change else None,
                to_user=obj.holder,
                changed_by=request.user,
                decided_by=request.user,
                decided_at=timezone.now(),
            )


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


class CaseUpdateAttachmentInline(ReadOnlyTabularInline):
    model = CaseUpdateAttachment
    fields = ("original_name", "content_type", "size", "uploaded_at")


class CaseUpdateNoticeInline(ReadOnlyTabularInline):
    model = CaseUpdateNotice
    fields = (
        "allocation",
        "created_at",
        "read_at",
        "read_by",
        "acknowledged_at",
        "acknowledged_by",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("allocation__case", "allocation__group", "read_by", "acknowledged_by")
        )


@admin.register(CaseUpdate)
class CaseUpdateAdmin(StaffModelAdmin):
    list_display = ("title", "case", "kind", "status", "author", "published_at", "created_at")
    list_filter = ("status", "kind", "case__country__region")
    search_fields = ("title", "case__reference", "case__title")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    autocomplete_fields = ("case", "author")
    # Publishing gives every group on the case a notice and an email: that is done on the site,
    # so here an update's status and publication time are shown, never set.
    readonly_fields = ("status", "published_at", "created_at")
    inlines = (CaseUpdateAttachmentInline, CaseUpdateNoticeInline)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "author")

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(CaseUpdateAttachment)
class CaseUpdateAttachmentAdmin(StaffModelAdmin):
    """Attachments are uploaded (and checked) on the site; staff may look, or remove one."""

    list_display = ("original_name", "update", "content_type", "size", "uploaded_at")
    list_filter = ("content_type",)
    search_fields = ("original_name", "update__title", "update__case__reference")
    date_hierarchy = "uploaded_at"
    ordering = ("-uploaded_at",)
    fields = ("update", "file", "original_name", "content_type", "size", "uploaded_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("update__case")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseUpdateNotice)
class CaseUpdateNoticeAdmin(ReadOnlyModelAdmin):
    list_display = ("update", "group", "created_at", "read_at", "acknowledged_at")
    list_filter = (
        ("read_at", admin.EmptyFieldListFilter),
        ("acknowledged_at", admin.EmptyFieldListFilter),
        "update__kind",
    )
    search_fields = ("update__title", "update__case__reference", "allocation__group__name")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = (
        "update",
        "allocation",
        "created_at",
        "read_at",
        "read_by",
        "acknowledged_at",
        "acknowledged_by",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("update__case", "allocation__case", "allocation__group")
        )

    @admin.display(description="group", ordering="allocation__group__name")
    def group(self, obj: CaseUpdateNotice) -> str:
        return str(obj.allocation.group)
