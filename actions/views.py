"""Pages for every signed-in member: Urgent Actions, regions, this month's actions, recording
what the group did, sign-ups, the meeting planner and calendars."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest, is_group_admin
from cases.downloads import CASEFILE_TYPES, private_file
from cases.models import Case, Region
from groups.letters import pdf_bytes
from groups.models import LocalGroup
from iar_site.exports import export_response

from . import calendars, pack, planner, services
from .filters import UrgentActionFilter
from .forms import BulletinForm, MeetingDateForm, SubscriptionForm
from .models import (
    ActionBundle,
    CalendarFeed,
    OneOffAction,
    RegionBulletin,
    RegionSubscription,
    UASubscription,
    UrgentAction,
)


def my_groups(user: Any) -> QuerySet[LocalGroup]:
    return LocalGroup.objects.filter(memberships__user=user, is_active=True).order_by("name")


def _own_group(request: AuthenticatedHttpRequest, group_id: int) -> LocalGroup:
    """Another group's page is not found, never forbidden."""
    return get_object_or_404(my_groups(request.user), pk=group_id)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- Urgent Actions ---------------------------------------------------------------------------


def ua_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    show_closed = request.GET.get("show") == "closed"
    base = UrgentAction.objects.visible_to(request.user)
    base = base.exclude(status=UrgentAction.Status.DRAFT)
    base = (
        base.exclude(status=UrgentAction.Status.PUBLISHED, deadline__gte=today)
        if show_closed
        else base.open_on(today)
    )
    filterset = UrgentActionFilter(request.GET or None, queryset=base)
    actions = (
        filterset.qs.distinct()
        .select_related("country__region", "follow_up_of")
        .newest_first()[:100]
    )
    return render(
        request,
        "actions/ua_list.html",
        {
            "filter": filterset,
            "actions": actions,
            "show_closed": show_closed,
            "today": today,
            "regions": Region.objects.all(),
        },
    )


def _visible_ua(request: AuthenticatedHttpRequest, pk: int) -> UrgentAction:
    return get_object_or_404(
        UrgentAction.objects.visible_to(request.user).select_related("country", "follow_up_of"),
        pk=pk,
    )


def ua_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ua = _visible_ua(request, pk)
    follow_ups = (
        UrgentAction.objects.visible_to(request.user)
        .filter(follow_up_of=ua)
        .order_by("published_at", "pk")
    )
    return render(
        request,
        "actions/ua_detail.html",
        {
            "ua": ua,
            "targets": ua.targets.all(),
            "follow_ups": follow_ups,
            "themes": ua.themes.all(),
            "can_record": my_groups(request.user).exists() and ua.status != "draft",
            "delivered": ua.deliveries.count() if ua.status != "draft" else None,
            "groups_if_published": services.groups_for(ua).count()
            if ua.status == "draft"
            else None,
        },
    )


def ua_calendar(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ua = _visible_ua(request, pk)
    content = calendars.ics_bytes(f"Urgent Action {ua.reference}", [calendars.ua_entry(ua)])
    return _ics_response(content, f"urgent-action-{ua.pk}.ics")


def ua_document(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    ua = _visible_ua(request, pk)
    if not ua.document:
        raise Http404("No document")
    # Served as the casefile downloads are: a missing file is a 404, and the browser may not
    # sniff or run it.
    extension = (ua.document.name or "").rsplit(".", 1)[-1].lower()
    return private_file(
        ua.document,
        filename=ua.document_name or f"urgent-action-{ua.pk}.{extension}",
        content_type=CASEFILE_TYPES.get(extension, "application/octet-stream"),
    )


def one_off_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    one_off = get_object_or_404(
        OneOffAction.objects.visible_to(request.user).select_related("case", "country"), pk=pk
    )
    return render(
        request,
        "actions/one_off_detail.html",
        {
            "one_off": one_off,
            "targets": one_off.targets.all(),
            "can_record": my_groups(request.user).exists(),
        },
    )


def this_month(request: AuthenticatedHttpRequest) -> HttpResponse:
    mailing = planner.latest_bundle(ActionBundle.Kind.MAILING)
    magazine = planner.latest_bundle(ActionBundle.Kind.MAGAZINE)
    return render(request, "actions/this_month.html", {"mailing": mailing, "magazine": magazine})


def bundle_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bundles = ActionBundle.objects.all()
    if not request.user.is_staff:
        bundles = bundles.filter(status=ActionBundle.Status.PUBLISHED)
    bundle = get_object_or_404(
        bundles.prefetch_related("cases__country", "urgent_actions", "one_offs"), pk=pk
    )
    return render(
        request,
        "actions/bundle_detail.html",
        {
            "bundle": bundle,
            "problems": services.bundle_problems(bundle),
            "can_record": my_groups(request.user).exists(),
        },
    )


# ---- What the group did (recording it: views_record.py) -------------------------------------


def log(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = _own_group(request, group_id)
    records = group.action_records.select_related(
        "urgent_action", "bundle", "one_off", "recorded_by"
    )[:200]
    return render(request, "actions/log.html", {"group": group, "records": records})


EXPORT_HEADERS = ["Date", "Action", "What was sent", "How many", "Notes", "Recorded by"]


def log_export(request: AuthenticatedHttpRequest, group_id: int, fmt: str) -> HttpResponse:
    group = _own_group(request, group_id)
    records = group.action_records.select_related(
        "urgent_action", "bundle", "one_off", "recorded_by"
    )
    rows = (
        [
            r.date.isoformat(),
            str(r.subject),
            r.get_kind_display(),
            r.count,
            r.notes,
            r.recorded_by.full_name if r.recorded_by else "",
        ]
        for r in records
    )
    return export_response(
        EXPORT_HEADERS, rows, fmt, f"other-actions-{group.pk}-{timezone.localdate():%Y%m%d}"
    )


# ---- Sign-ups and regions ---------------------------------------------------------------------


def signups_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = list(my_groups(request.user))
    if not groups:
        raise Http404("Not in a group")
    if len(groups) == 1:
        return redirect("actions:signups", group_id=groups[0].pk)
    return render(request, "actions/signups_index.html", {"groups": groups})


def signups(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = _own_group(request, group_id)
    admin = is_group_admin(request.user, group)
    subscription = UASubscription.objects.filter(group=group).first()
    region_ids = list(
        RegionSubscription.objects.filter(group=group).values_list("region_id", flat=True)
    )
    initial = {
        "which": "none"
        if subscription is None
        else ("all" if subscription.all_actions else "some"),
        "regions": list(subscription.regions.all()) if subscription else [],
        "themes": list(subscription.themes.all()) if subscription else [],
        "region_work": region_ids,
    }
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not admin:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_ua_subscription(
                    group,
                    all_actions=data["which"] == "all",
                    regions=data["regions"],
                    themes=data["themes"],
                    subscribed=data["which"] != "none",
                    actor=request.user,
                )
                services.set_region_subscriptions(
                    group, regions=data["region_work"], actor=request.user
                )
            except services.ActionsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Saved what {group.name} receives.")
                return redirect("actions:signups", group_id=group.pk)
    return render(
        request,
        "actions/signups.html",
        {"group": group, "form": form, "is_admin": admin, "subscription": subscription},
    )


def region(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    today = timezone.localdate()
    cases = (
        Case.objects.visible_to(request.user)
        .filter(country__region=region, status=Case.Status.OPEN)
        .select_related("country")
        .distinct()
        .order_by("reference")
    )
    urgent = (
        UrgentAction.objects.open_on(today)
        .filter(country__region=region)
        .select_related("country")
        .newest_first()
    )
    one_offs = OneOffAction.objects.open_on(today).filter(country__region=region)
    bulletins = RegionBulletin.objects.filter(region=region).select_related("posted_by")[:10]
    return render(
        request,
        "actions/region.html",
        {
            "region": region,
            "cases": cases,
            "urgent_actions": urgent,
            "one_offs": one_offs,
            "bulletins": bulletins,
            "may_post": services.may_post_bulletin(request.user, region),
            "regions": Region.objects.all(),
        },
    )


def region_bulletin(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    if not services.may_post_bulletin(request.user, region):
        raise PermissionDenied
    form = BulletinForm(request.POST or None)
    reach = RegionSubscription.objects.filter(region=region, group__is_active=True).count()
    if request.method == "POST" and form.is_valid():
        try:
            services.post_region_bulletin(
                region,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
        except services.ActionsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Bulletin posted and sent to {reach} group(s).")
            return redirect("actions:region", code=region.code)
    return render(
        request, "actions/bulletin_form.html", {"region": region, "form": form, "reach": reach}
    )


# ---- The meeting planner ----------------------------------------------------------------------


def meeting_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = list(my_groups(request.user))
    if not groups:
        raise Http404("Not in a group")
    if len(groups) == 1:
        return redirect("actions:meeting", group_id=groups[0].pk)
    return render(request, "actions/meeting_index.html", {"groups": groups})


def meeting(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = _own_group(request, group_id)
    today = timezone.localdate()
    admin = is_group_admin(request.user, group)
    on = planner.next_meeting(group, today=today)
    form = MeetingDateForm(request.POST or None, initial={"next_meeting": on})
    if request.method == "POST":
        if not admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.set_next_meeting(
                    group, on=form.cleaned_data["next_meeting"], actor=request.user
                )
            except services.ActionsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Meeting date saved.")
                return redirect("actions:meeting", group_id=group.pk)
    plan = planner.meeting_plan(group, on, today=today) if on else None
    return render(
        request,
        "actions/meeting.html",
        {"group": group, "plan": plan, "form": form, "is_admin": admin, "today": today},
    )


def meeting_pack(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = _own_group(request, group_id)
    today = timezone.localdate()
    on = planner.next_meeting(group, today=today)
    if on is None:
        raise Http404("No meeting date")
    document = pack.pack_document(planner.meeting_plan(group, on, today=today))
    response = HttpResponse(pdf_bytes(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meeting-pack-{on:%Y-%m-%d}.pdf"'
    return response


def meeting_calendar(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = _own_group(request, group_id)
    on = planner.next_meeting(group, today=timezone.localdate())
    if on is None:
        raise Http404("No meeting date")
    entry = calendars.Entry(
        uid=f"meeting-{group.pk}-{on.isoformat()}", on=on, summary=f"{group.name} meeting"
    )
    return _ics_response(calendars.ics_bytes(f"{group.name} meeting", [entry]), "meeting.ics")


# ---- Calendar feed ----------------------------------------------------------------------------


def calendar_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "actions/calendar.html", {"feed": feed})


@require_POST
def calendar_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    what = request.POST.get("what")
    if what == "revoke":
        services.revoke_calendar_feed(request.user)
        messages.success(request, "Your calendar address no longer works.")
    elif what in ("create", "renew"):
        services.calendar_feed(request.user, renew=what == "renew")
        messages.success(request, "Your calendar address is ready. Keep it to yourself.")
    return redirect("actions:calendar")


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar app fetches without signing in: the secret address is the key."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar")
    entries = calendars.entries_for(feed.user, today=timezone.localdate())
    response = HttpResponse(
        calendars.ics_bytes("IAR Casework", entries), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
