"""A group's settings, its members and the export of its action log."""

from __future__ import annotations

from itertools import chain

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    AuthenticatedHttpRequest,
    is_group_admin,
)
from accounts.invitations import AccountError, invite_person
from cases.models import Case
from cases.querysets import in_members_group
from iar_site.exports import export_response

from .forms import (
    GroupSettingsForm,
    InviteMemberForm,
)
from .models import Activity, LocalGroup, Membership
from .services import (
    GroupError,
    change_member_role,
    remove_member,
    update_group_settings,
)

# ---- Group settings -----------------------------------------------------------------------------


def _own_group(request: AuthenticatedHttpRequest, group_id: int) -> LocalGroup:
    return get_object_or_404(
        LocalGroup.objects.visible_to(request.user).filter(in_members_group(request.user, "")),
        pk=group_id,
    )


def settings_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = list(LocalGroup.objects.filter(in_members_group(request.user, "")).order_by("name"))
    if not groups:
        raise Http404("Not in a group")
    if len(groups) == 1:
        return redirect("groups:settings", group_id=groups[0].pk)
    return render(request, "groups/settings_index.html", {"groups": groups})


def _settings_context(request, group, form=None, invite_form=None) -> dict:
    admin = is_group_admin(request.user, group)
    return {
        "group": group,
        "is_admin": admin,
        "form": form or GroupSettingsForm(instance=group),
        "invite_form": invite_form or InviteMemberForm(),
        "memberships": group.memberships.select_related("user").order_by("user__full_name"),
        "roles": Membership.Role.choices,
    }


def group_settings(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = _own_group(request, group_id)
    form = None
    if request.method == "POST":
        if not is_group_admin(request.user, group):
            raise PermissionDenied
        form = GroupSettingsForm(request.POST, instance=LocalGroup.objects.get(pk=group.pk))
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_group_settings(
                    group,
                    values={
                        k: v
                        for k, v in data.items()
                        if not k.startswith("preferred_r") and not k.startswith("preferred_t")
                    },
                    regions=list(data["preferred_regions"]),
                    themes=list(data["preferred_themes"]),
                    actor=request.user,
                )
            except GroupError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The group's settings are saved.")
                return redirect("groups:settings", group_id=group.pk)
    return render(request, "groups/settings.html", _settings_context(request, group, form=form))


@require_POST
def invite_member(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = _own_group(request, group_id)
    if not is_group_admin(request.user, group):
        raise PermissionDenied
    invite_form = InviteMemberForm(request.POST)
    if invite_form.is_valid():
        data = invite_form.cleaned_data
        try:
            invite_person(
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                group=group,
                actor=request.user,
            )
        except AccountError as exc:
            invite_form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Invitation to {data['email']} is queued; they will get an email shortly."
            )
            return redirect("groups:settings", group_id=group.pk)
    return render(
        request,
        "groups/settings.html",
        _settings_context(request, group, invite_form=invite_form),
    )


def _group_membership(request, group_id: int, membership_id: int) -> tuple[LocalGroup, Membership]:
    group = _own_group(request, group_id)
    if not is_group_admin(request.user, group):
        raise PermissionDenied
    membership = get_object_or_404(group.memberships.select_related("user"), pk=membership_id)
    return group, membership


@require_POST
def member_role(
    request: AuthenticatedHttpRequest, group_id: int, membership_id: int
) -> HttpResponse:
    group, membership = _group_membership(request, group_id, membership_id)
    try:
        change_member_role(membership, role=request.POST.get("role", ""), actor=request.user)
    except GroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{membership.user.full_name}'s role is saved.")
    return redirect("groups:settings", group_id=group.pk)


def member_remove(
    request: AuthenticatedHttpRequest, group_id: int, membership_id: int
) -> HttpResponse:
    group, membership = _group_membership(request, group_id, membership_id)
    if request.method == "POST":
        try:
            remove_member(membership, actor=request.user)
        except GroupError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{membership.user.full_name} is no longer in the group.")
        return redirect("groups:settings", group_id=group.pk)
    return render(request, "groups/member_remove.html", {"group": group, "membership": membership})


# ---- Export of the group's action log -----------------------------------------------------------

EXPORT_HEADERS = [
    "Date",
    "Case reference",
    "Case",
    "Action",
    "Number",
    "Notes",
    "Outcome",
    "About the outcome",
    "Recorded by",
    "Recorded at",
]


def export_actions(request: AuthenticatedHttpRequest, group_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    group = _own_group(request, group_id)
    activities = (
        Activity.objects.visible_to(request.user)
        .filter(allocation__group=group)
        .select_related("allocation__case", "recorded_by")
        .order_by("-date", "-id")
    )
    rows = (
        [
            a.date.isoformat(),
            a.allocation.case.reference,
            ""
            if a.allocation.case.sensitivity == Case.Sensitivity.CONFIDENTIAL
            else a.allocation.case.title,
            a.get_kind_display(),
            a.count,
            a.notes,
            a.get_outcome_display() if a.outcome else "",
            a.outcome_notes,
            a.recorded_by.full_name if a.recorded_by else "",
            timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for a in activities
    )
    # What the group sent on Urgent Actions, the mailing, the magazine and one-off actions: the
    # actions app sits above this one, so its records are read through the group's relation.
    records = group.action_records.select_related(
        "urgent_action", "bundle", "one_off", "recorded_by"
    ).order_by("-date", "-id")
    other_rows = (
        [
            r.date.isoformat(),
            "",
            str(r.subject),
            r.get_kind_display(),
            r.count,
            r.notes,
            "",
            "",
            r.recorded_by.full_name if r.recorded_by else "",
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for r in records
    )
    return export_response(
        EXPORT_HEADERS,
        chain(rows, other_rows),
        fmt,
        f"actions-{group.pk}-{timezone.localdate():%Y%m%d}",
    )
