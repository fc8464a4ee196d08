"""Cases in the admin. A case's details are edited here; what has a flow on the site (pausing,
resuming and stopping, changing its targets, a new casefile version) goes through that flow's
service, or is shown here with a link to the page that does it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html_join

from iar_site import audit
from iar_site.admin import (
    ReadOnlyTabularInline,
    StaffModelAdmin,
    StaffStackedInline,
    StaffTabularInline,
    audit_before,
    audit_changes,
    site_link,
)

from .. import services
from ..models import CampaignTarget, Case, CasefileDocument, CasePerson
from ..search import ConfidentialCaseSearchMixin


class CoordinatorListFilter(admin.RelatedFieldListFilter):
    """The coordinator filter, naming each coordinator without a query per person."""

    def field_choices(self, field, request, model_admin):
        # The coordinator model through the relation: coordinators sits above cases.
        coordinators = field.related_model.objects.select_related("user").order_by(
            "user__full_name"
        )
        return [(c.pk, str(c)) for c in coordinators]


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
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
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
    """New targets are added through the targets service (audit, and the groups are told);
    a current target is changed or retired on the coordinator's page, so rows are shown here."""

    model = CampaignTarget
    fields = (
        ("authority", "title"),
        "postal_address",
        ("email", "salutation"),
        ("valid_from", "valid_to"),
        "site_page",
    )
    readonly_fields = ("valid_to", "site_page")
    classes = ("collapse",)
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="change or retire")
    def site_page(self, obj: CampaignTarget) -> str:
        if obj.pk is None or obj.valid_to is not None:
            return ""
        return format_html_join(
            " · ",
            "{}",
            [
                (site_link("Change", "casefile:target_edit", obj.pk),),
                (site_link("Retire", "casefile:target_retire", obj.pk),),
            ],
        )


class CasefileDocumentInline(ReadOnlyTabularInline):
    """Versions are history: a new one is uploaded through the casefile service."""

    model = CasefileDocument
    fields = ("version", "title", "uploaded_at", "uploaded_by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(Case)
class CaseAdmin(ConfidentialCaseSearchMixin, StaffModelAdmin):
    case_path = ""
    form = CaseAdminForm
    service_errors = (services.CaseError,)
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
    readonly_fields = ("created_at", "updated_at", "site_pages")
    inlines = (CasePersonInline, CampaignTargetInline, CasefileDocumentInline)
    fieldsets = (
        (None, {"fields": ("reference", "title", "kind", "country", "themes", "coordinator")}),
        (
            "Status",
            {"fields": ("sensitivity", "status", "closing_reason", "closed_at", "site_pages")},
        ),
        ("Casework", {"fields": ("summary", "suggested_letter", "solidarity_address")}),
        ("Allocation", {"fields": ("max_groups", "opened_on", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country", "coordinator__user")

    @admin.display(description="on the site")
    def site_pages(self, obj: Case) -> str:
        if obj.pk is None:
            return ""
        reference = obj.reference
        return format_html_join(
            " · ",
            "{}",
            [
                (site_link("Allocate, pause, resume or stop", "staff:case", reference),),
                (site_link("Upload a casefile version", "casefile:upload", reference),),
                (site_link("Add a target", "casefile:target_add", reference),),
            ],
        )

    def save_model(self, request, obj, form, change):
        # Opening a draft and changing how sensitive a case is are staff decisions with their own
        # services (their checks, their audit entries): the rest of the form is saved first, as
        # any admin change, then those two go through the services.
        stored = (
            Case.objects.filter(pk=obj.pk).values("status", "sensitivity").first()
            if change
            else None
        )
        opening = obj.status == Case.Status.OPEN and (
            stored is None or stored["status"] == Case.Status.DRAFT
        )
        sensitivity = obj.sensitivity
        old = Case.objects.filter(pk=obj.pk).first() if change else None
        handled = set()
        if opening:
            obj.status = Case.Status.DRAFT
            handled.add("status")
        if stored is not None:
            obj.sensitivity = stored["sensitivity"]
            handled.add("sensitivity")
        obj.save()
        changes = {k: v for k, v in audit_changes(form).items() if k not in handled}
        if changes or not change:
            action = "admin.changed" if change else "admin.created"
            before = {k: v for k, v in audit_before(form, old).items() if k in changes}
            audit.record(action, obj, actor=request.user, changes=changes, before=before)
        if stored is not None and sensitivity != stored["sensitivity"]:
            obj.sensitivity = services.set_sensitivity(
                obj, sensitivity, actor=request.user
            ).sensitivity
        if opening:
            opened = services.open_case(obj, actor=request.user)
            obj.status, obj.opened_on = opened.status, opened.opened_on

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Opening a confidential case is logged, as on the site itself.
        if obj is not None and obj.sensitivity == Case.Sensitivity.CONFIDENTIAL:
            audit.record("case.viewed_confidential", obj, actor=request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is CampaignTarget:
            # Existing targets are read-only here; each new one goes through the service.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for new_form in formset.extra_forms:
                if not new_form.has_changed() or new_form.cleaned_data.get("DELETE", False):
                    continue
                data = new_form.cleaned_data
                formset.new_objects.append(
                    services.add_target(
                        form.instance, data=data, valid_from=data["valid_from"], actor=request.user
                    )
                )
            return
        super().save_formset(request, form, formset, change)


@admin.register(CasePerson)
class CasePersonAdmin(ConfidentialCaseSearchMixin, StaffModelAdmin):
    list_display = ("name", "case", "gender", "role")
    list_select_related = ("case",)
    list_filter = ("gender",)
    search_fields = ("name", "role", "case__reference", "case__title")
    autocomplete_fields = ("case",)
    ordering = ("case__reference", "id")
