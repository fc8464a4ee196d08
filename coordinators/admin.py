from __future__ import annotations

from django.contrib import admin
from django.db.models import Prefetch

from cases.models import Country
from cases.search import ConfidentialCaseSearchMixin
from iar_site.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline, StaffModelAdmin, site_link

from . import services
from .models import (
    CaseUpdate,
    CaseUpdateAttachment,
    CaseUpdateNotice,
    CountryCoordinator,
    StopRequest,
)


@admin.register(CountryCoordinator)
class CountryCoordinatorAdmin(StaffModelAdmin):
    list_display = ("user", "login_email", "public_email", "phone", "country_list")
    list_filter = ("countries__region",)
    search_fields = (
        "user__full_name",
        "user__email",
        "public_email",
        "phone",
        "countries__name",
    )
    ordering = ("user__full_name",)
    autocomplete_fields = ("user",)
    filter_horizontal = ("countries",)

    def get_queryset(self, request):
        # The user is named wherever a coordinator is shown (lists, autocomplete on cases), and
        # the list shows each one's countries: one query for all rows, not one per row.
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .prefetch_related(
                Prefetch("countries", queryset=Country.objects.only("id", "name").order_by("name"))
            )
        )

    @admin.display(description="login email", ordering="user__email")
    def login_email(self, obj: CountryCoordinator) -> str:
        return obj.user.email

    @admin.display(description="countries")
    def country_list(self, obj: CountryCoordinator) -> str:
        return ", ".join(country.name for country in obj.countries.all())


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
class CaseUpdateAdmin(ConfidentialCaseSearchMixin, ReadOnlyModelAdmin):
    """Updates are written, edited and published on the site: publishing gives every group on
    the case a notice and an email. Here they are looked up, with a link to the update's page."""

    list_display = ("title", "case", "kind", "status", "author", "published_at", "created_at")
    list_filter = ("status", "kind", "case__country__region")
    search_fields = ("title", "case__reference", "case__title")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = (
        "site_page",
        "case",
        "kind",
        "title",
        "body",
        "status",
        "author",
        "published_at",
        "created_at",
    )
    readonly_fields = ("site_page",)
    inlines = (CaseUpdateAttachmentInline, CaseUpdateNoticeInline)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "author")

    @admin.display(description="on the site")
    def site_page(self, obj: CaseUpdate) -> str:
        return site_link("Edit or publish this update", "coordinators:update_detail", obj.pk)


@admin.register(CaseUpdateAttachment)
class CaseUpdateAttachmentAdmin(StaffModelAdmin):
    """Attachments are uploaded (and checked) on the site; staff may look, or remove one from a
    draft through the same service as the coordinator's page."""

    service_errors = (services.CoordinatorError,)
    list_display = ("original_name", "update", "content_type", "size", "uploaded_at")
    list_filter = ("content_type",)
    search_fields = ("original_name", "update__title", "update__case__reference")
    date_hierarchy = "uploaded_at"
    ordering = ("-uploaded_at",)
    fields = ("update", "file", "original_name", "content_type", "size", "uploaded_at")
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("update__case")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.remove_attachment(obj, actor=request.user)


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


@admin.register(StopRequest)
class StopRequestAdmin(ReadOnlyModelAdmin):
    """Read-only: a stop request is confirmed or refused on the staff page, where the stop flow
    tells every group."""

    list_display = ("case", "reason", "status", "requested_by", "requested_at", "decided_at")
    list_filter = ("status", "reason")
    search_fields = ("case__reference",)
    date_hierarchy = "requested_at"
    ordering = ("-requested_at",)
    list_select_related = ("case", "requested_by")
