from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, cast

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from iar_site import audit
from iar_site.admin import ReadOnlyPermissionsMixin, StaffModelAdmin, is_iar_staff

from .invitations import revoke_invitations
from .models import Invitation, User

if TYPE_CHECKING:
    from groups.models import Membership

# Roles here come from is_staff, coordinator profiles and group memberships, never from Django's
# permission groups; listing those beside local groups would only confuse.
with contextlib.suppress(NotRegistered):
    admin.site.unregister(Group)


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "password",
            "full_name",
            "phone",
            "is_active",
            "is_staff",
            "is_superuser",
        )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [
            ("staff", "IAR staff"),
            ("coordinator", "Country coordinator"),
            ("member", "Group member"),
            ("none", "No role"),
        ]

    def queryset(self, request, queryset):
        # Through the reverse relations: coordinators and groups sit above accounts.
        is_coordinator = Q(coordinator_profile__isnull=False)
        membership = cast("type[Membership]", User.memberships.rel.related_model)
        is_member = Exists(membership.objects.filter(user=OuterRef("pk")))
        match self.value():
            case "staff":
                return queryset.filter(is_staff=True)
            case "coordinator":
                return queryset.filter(is_coordinator)
            case "member":
                return queryset.filter(is_member)
            case "none":
                return queryset.filter(is_staff=False).exclude(is_coordinator).exclude(is_member)
        return queryset


@admin.register(User)
class UserAdmin(StaffModelAdmin, DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("full_name", "phone")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "full_name", "phone", "is_staff", "is_active", "last_login")
    list_filter = (RoleFilter, "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "full_name", "phone")
    ordering = ("full_name", "email")
    filter_horizontal = ()
    date_hierarchy = "date_joined"
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        # Only a superuser makes a superuser: staff could otherwise lift themselves.
        if not request.user.is_superuser:
            fields += ("is_superuser",)
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # a superuser's login (password, email) is theirs and other superusers'
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Staff deactivate people (is_active); deleting a login erases the actor of its history.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        request._iar_password_change = True
        return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        if getattr(request, "_iar_password_change", False):
            audit.record("admin.password_changed", obj, actor=request.user)
        return super().log_change(request, obj, message)


class InvitationStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Pending"),
            ("accepted", "Accepted"),
            ("revoked", "Revoked"),
            ("expired", "Expired"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "pending":
                return queryset.pending()
            case "accepted":
                return queryset.filter(accepted_at__isnull=False)
            case "revoked":
                return queryset.filter(revoked_at__isnull=False)
            case "expired":
                return queryset.filter(
                    accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
                )
        return queryset


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyPermissionsMixin, StaffModelAdmin):
    """Invitations are made on the site (which sends the email); here staff look and revoke."""

    list_display = (
        "email",
        "full_name",
        "role",
        "group",
        "invited_by",
        "created_at",
        "expires_at",
        "state",
    )
    list_select_related = ("group", "invited_by")
    list_filter = ("role", InvitationStateFilter)
    search_fields = ("email", "full_name", "group__name", "invited_by__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    actions = ("revoke",)
    fields = (
        "email",
        "full_name",
        "role",
        "group",
        "countries",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )

    @admin.display(description="state")
    def state(self, obj: Invitation) -> str:
        if obj.accepted_at:
            return "Accepted"
        if obj.revoked_at:
            return "Revoked"
        if obj.expires_at <= timezone.now():
            return "Expired"
        return "Pending"

    def has_revoke_permission(self, request) -> bool:
        return is_iar_staff(request)

    @admin.action(description="Revoke selected invitations", permissions=["revoke"])
    def revoke(self, request, queryset) -> None:
        selected = list(queryset.values_list("pk", flat=True))
        ids = [invitation.pk for invitation in revoke_invitations(selected, actor=request.user)]
        self.message_user(request, f"Revoked {len(ids)} invitation(s).", messages.SUCCESS)
        if len(ids) < len(selected):
            self.message_user(
                request,
                f"{len(selected) - len(ids)} selected invitation(s) were already accepted or "
                "revoked and were left as they are.",
                messages.WARNING,
            )
