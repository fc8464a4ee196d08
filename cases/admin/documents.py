"""Campaign targets and casefile documents: versioned records. A new one is added here through
the same service as the coordinator's page (audit, and for targets the groups are told); a
recorded version is never edited or removed here."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html_join

from iar_site.admin import StaffModelAdmin, site_link

from .. import services
from ..models import CampaignTarget, CasefileDocument, SavedView
from ..search import ConfidentialCaseSearchMixin
from ..uploads import UploadRejected, check_upload


def validate_casefile(upload) -> None:
    """The same content checks as the coordinators' casefile upload (one allowlist, one limit)."""
    if not isinstance(upload, UploadedFile):
        return  # no new file
    try:
        check_upload(upload)
    except UploadRejected as exc:
        raise forms.ValidationError(str(exc)) from None
    upload.seek(0)


class CasefileDocumentForm(forms.ModelForm):
    class Meta:
        model = CasefileDocument
        fields = ("case", "title", "file", "notes")
        error_messages = {
            "file": {"empty": "The file is empty. Choose the file again, or check it opens."}
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        validate_casefile(upload)
        return upload


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


class VersionedRecordAdmin(StaffModelAdmin):
    """Added through a service, then kept as history: no change, no delete."""

    service_errors = (services.CaseError,)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CampaignTarget)
class CampaignTargetAdmin(ConfidentialCaseSearchMixin, VersionedRecordAdmin):
    list_display = ("authority", "title", "case", "valid_from", "valid_to", "is_current")
    list_filter = (CurrentTargetFilter, "case__country__region")
    search_fields = ("authority", "title", "email", "case__reference", "case__title")
    date_hierarchy = "valid_from"
    ordering = ("case__reference", "-valid_from", "id")
    autocomplete_fields = ("case",)
    fields = (
        "case",
        "authority",
        "title",
        "postal_address",
        "email",
        "salutation",
        "valid_from",
        "valid_to",
        "replaces",
        "created_by",
        "created_at",
        "site_page",
    )

    def get_readonly_fields(self, request, obj=None):
        # Adding asks only for what the service takes; the rest is set by it.
        return ("valid_to", "replaces", "created_by", "created_at", "site_page")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case")

    @admin.display(boolean=True, description="current")
    def is_current(self, obj: CampaignTarget) -> bool:
        return obj.is_current

    @admin.display(description="change or retire")
    def site_page(self, obj: CampaignTarget) -> str:
        if obj.pk is None or obj.valid_to is not None:
            return ""
        return format_html_join(
            " · ",
            "{}",
            [
                (site_link("Change this target", "casefile:target_edit", obj.pk),),
                (site_link("Retire it", "casefile:target_retire", obj.pk),),
            ],
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        target = services.add_target(
            data["case"], data=data, valid_from=data["valid_from"], actor=request.user
        )
        obj.pk = target.pk
        obj.created_by = target.created_by


@admin.register(CasefileDocument)
class CasefileDocumentAdmin(ConfidentialCaseSearchMixin, VersionedRecordAdmin):
    form = CasefileDocumentForm
    list_display = ("case", "version", "title", "uploaded_at", "uploaded_by")
    search_fields = ("title", "case__reference", "case__title")
    date_hierarchy = "uploaded_at"
    ordering = ("case__reference", "-version")
    autocomplete_fields = ("case",)
    fields = ("case", "version", "title", "file", "notes", "uploaded_at", "uploaded_by")
    readonly_fields = ("version", "uploaded_at", "uploaded_by")

    # Here rather than list_select_related, which the changelist ignores once the queryset
    # already selects related rows; autocomplete and change pages use it too.
    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "uploaded_by")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        document = services.upload_casefile(
            data["case"],
            title=data["title"],
            notes=data.get("notes", ""),
            upload=data["file"],
            actor=request.user,
        )
        obj.pk = document.pk
        obj.version = document.version
        obj.file = document.file


@admin.register(SavedView)
class SavedViewAdmin(StaffModelAdmin):
    list_display = ("name", "list_name", "user", "created_at")
    list_select_related = ("user",)
    list_filter = ("list_name",)
    search_fields = ("name", "list_name", "user__email", "user__full_name")
    ordering = ("user__full_name", "list_name", "name")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)
