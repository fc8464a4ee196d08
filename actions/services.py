"""Every write about Urgent Actions, sign-ups, region work, bundles, one-off actions, what groups
record doing on them, and calendar feeds. Notices go through the outbox in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_group_admin, is_member, is_staff
from cases.models import Case, Country, Region, Theme
from cases.uploads import UploadRejected, check_upload, safe_original_name
from groups import services as group_services
from groups.models import CaseRequest, LocalGroup
from iar_site import audit
from notifications.services import notify_group

from .models import (
    ActionBundle,
    ActionRecord,
    ActionTarget,
    CalendarFeed,
    OneOffAction,
    OneOffAttachment,
    RegionBulletin,
    RegionSubscription,
    UADelivery,
    UASubscription,
    UrgentAction,
)

if TYPE_CHECKING:
    from accounts.models import User


class ActionsError(Exception):
    """A user-safe reason an action about Urgent Actions, bundles or meetings cannot be done."""


def _link(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise ActionsError("Only IAR staff can do this.")


# ---- Urgent Actions ---------------------------------------------------------------------------

UA_FIELDS = (
    "reference",
    "title",
    "country",
    "issued_on",
    "deadline",
    "summary",
    "suggested_letter",
    "language_notes",
)


def save_urgent_action(
    ua: UrgentAction | None,
    *,
    values: dict[str, Any],
    themes: Iterable[Theme] = (),
    targets: list[dict[str, str]] | None = None,
    document: UploadedFile[bytes] | None = None,
    follow_up_of: UrgentAction | None = None,
    follow_up_kind: str = "",
    actor: User,
) -> UrgentAction:
    """Create a draft Urgent Action (or a follow-up of a published one), or change a draft."""
    _require_staff(actor)
    if values["deadline"] < values["issued_on"]:
        raise ActionsError("The deadline cannot be before the issue date.")
    with transaction.atomic():
        if ua is None:
            ua = UrgentAction(created_by=actor)
            if follow_up_of is not None:
                if follow_up_of.status == UrgentAction.Status.DRAFT:
                    raise ActionsError("Publish the Urgent Action before writing a follow-up.")
                if follow_up_of.follow_up_of_id is not None:
                    follow_up_of = follow_up_of.follow_up_of
                if follow_up_kind not in UrgentAction.FollowUpKind.values or not follow_up_kind:
                    raise ActionsError("Choose what kind of follow-up this is.")
                ua.follow_up_of = follow_up_of
                ua.follow_up_kind = follow_up_kind
        else:
            ua = UrgentAction.objects.select_for_update().get(pk=ua.pk)
            if ua.status != UrgentAction.Status.DRAFT:
                raise ActionsError(
                    "A published Urgent Action cannot be changed; write a follow-up."
                )
            if ua.follow_up_of_id is not None and follow_up_kind:
                ua.follow_up_kind = follow_up_kind
        for field in UA_FIELDS:
            setattr(ua, field, values[field])
        if ua.follow_up_of is not None:
            ua.reference = ua.follow_up_of.reference
        elif (
            UrgentAction.objects.filter(reference=ua.reference, follow_up_of__isnull=True)
            .exclude(pk=ua.pk)
            .exists()
        ):
            raise ActionsError(f"There is already an Urgent Action {ua.reference}.")
        if document is not None:
            try:
                kind = check_upload(document)
            except UploadRejected as exc:
                raise ActionsError(str(exc)) from exc
            ua.document_name = safe_original_name(document.name, kind)
            ua.document.save(f"ua.{kind.extension}", document, save=False)
        created = ua.pk is None
        ua.save()
        ua.themes.set(list(themes))
        if targets is not None:
            ua.targets.all().delete()
            ActionTarget.objects.bulk_create(
                ActionTarget(urgent_action=ua, **target) for target in targets
            )
        audit.record(
            "urgent_action.created" if created else "urgent_action.changed",
            ua,
            actor=actor,
            changes={"reference": ua.reference, "deadline": ua.deadline.isoformat()},
        )
    return ua


def groups_for(ua: UrgentAction) -> QuerySet[LocalGroup]:
    """The active groups whose sign-up matches the Urgent Action: every UA, or its region, or
    one of its themes. A follow-up goes to the groups the original went to, no more, no fewer."""
    active = LocalGroup.objects.filter(is_active=True)
    if ua.follow_up_of_id is not None:
        return active.filter(
            pk__in=UADelivery.objects.filter(urgent_action_id=ua.follow_up_of_id).values("group")
        )
    theme_ids = list(ua.themes.values_list("pk", flat=True))
    matching = UASubscription.objects.filter(
        Q(all_actions=True) | Q(regions=ua.country.region_id) | Q(themes__in=theme_ids)
    )
    return active.filter(pk__in=matching.values("group"))


def ua_context(ua: UrgentAction) -> dict[str, Any]:
    """The whole Urgent Action as plain values: a post group reads it on paper, not online."""
    return {
        "reference": ua.reference,
        "title": ua.title,
        "follow_up": ua.get_follow_up_kind_display() if ua.follow_up_kind else "",
        "country": ua.country.name,
        "issued_on": ua.issued_on.isoformat(),
        "deadline": ua.deadline.isoformat(),
        "summary": ua.summary,
        "suggested_letter": ua.suggested_letter,
        "language_notes": ua.language_notes,
        "targets": [
            {"lines": t.address_lines(), "email": t.email, "salutation": t.salutation}
            for t in ua.targets.all()
        ],
        "link": _link("actions:ua_detail", ua.pk),
    }


def publish_urgent_action(ua: UrgentAction, *, actor: User) -> int:
    """Publish a draft and send it to each matching group by its channel. Returns how many
    groups it went to; publishing again sends nothing more."""
    _require_staff(actor)
    with transaction.atomic():
        ua = UrgentAction.objects.select_for_update().select_related("country").get(pk=ua.pk)
        if ua.status != UrgentAction.Status.DRAFT:
            return 0
        if not ua.targets.exists() and ua.follow_up_kind != UrgentAction.FollowUpKind.STOP_ACTION:
            raise ActionsError("Add at least one person to write to before publishing.")
        ua.status = UrgentAction.Status.PUBLISHED
        ua.published_at = timezone.now()
        ua.save(update_fields=["status", "published_at"])
        if ua.follow_up_kind == UrgentAction.FollowUpKind.STOP_ACTION and ua.follow_up_of_id:
            UrgentAction.objects.filter(
                pk=ua.follow_up_of_id, status=UrgentAction.Status.PUBLISHED
            ).update(status=UrgentAction.Status.CLOSED, closed_at=ua.published_at)
        groups = list(groups_for(ua))
        context = ua_context(ua)
        for group in groups:
            UADelivery.objects.get_or_create(urgent_action=ua, group=group)
            notify_group(group, key=f"ua:{ua.pk}", template="urgent-action", context=context)
        audit.record("urgent_action.published", ua, actor=actor, changes={"groups": len(groups)})
    return len(groups)


def close_expired_urgent_actions(*, today: date | None = None) -> int:
    """Close every published Urgent Action whose deadline has passed. Safe to run again."""
    today = today or timezone.localdate()
    with transaction.atomic():
        expired = list(
            UrgentAction.objects.select_for_update().filter(
                status=UrgentAction.Status.PUBLISHED, deadline__lt=today
            )
        )
        now = timezone.now()
        for ua in expired:
            ua.status = UrgentAction.Status.CLOSED
            ua.closed_at = now
            ua.save(update_fields=["status", "closed_at"])
            audit.record("urgent_action.closed", ua, changes={"reason": "deadline passed"})
    return len(expired)


# ---- Sign-ups and region work -----------------------------------------------------------------


def set_ua_subscription(
    group: LocalGroup,
    *,
    all_actions: bool,
    regions: Iterable[Region] = (),
    themes: Iterable[Theme] = (),
    subscribed: bool = True,
    actor: User,
) -> UASubscription | None:
    """A group administrator signs the group up (or off) for Urgent Actions."""
    if not is_group_admin(actor, group):
        raise ActionsError("Only the group's administrators can change its sign-ups.")
    regions, themes = list(regions), list(themes)
    with transaction.atomic():
        if not subscribed:
            UASubscription.objects.filter(group=group).delete()
            audit.record("ua_subscription.ended", group, actor=actor)
            return None
        if not all_actions and not regions and not themes:
            raise ActionsError("Choose every Urgent Action, or at least one region or theme.")
        subscription, _ = UASubscription.objects.select_for_update().get_or_create(group=group)
        subscription.all_actions = all_actions
        subscription.updated_at = timezone.now()
        subscription.save()
        subscription.regions.set([] if all_actions else regions)
        subscription.themes.set([] if all_actions else themes)
        audit.record(
            "ua_subscription.changed",
            group,
            actor=actor,
            changes={
                "all": all_actions,
                "regions": sorted(r.pk for r in regions),
                "themes": sorted(t.pk for t in themes),
            },
        )
    return subscription


def set_region_subscriptions(group: LocalGroup, *, regions: Iterable[Region], actor: User) -> None:
    """The world regions whose work (bulletins, actions) the group wants."""
    if not is_group_admin(actor, group):
        raise ActionsError("Only the group's administrators can change its sign-ups.")
    wanted = {r.pk for r in regions}
    with transaction.atomic():
        RegionSubscription.objects.filter(group=group).exclude(region_id__in=wanted).delete()
        for region_id in wanted:
            RegionSubscription.objects.get_or_create(group=group, region_id=region_id)
        audit.record(
            "region_subscription.changed", group, actor=actor, changes={"regions": sorted(wanted)}
        )


def may_post_bulletin(user: Any, region: Region) -> bool:
    """Staff, and coordinators of any of the region's countries."""
    if is_staff(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Country.objects.filter(region=region, coordinators__user=user).exists()


def post_region_bulletin(region: Region, *, title: str, body: str, actor: User) -> RegionBulletin:
    """A coordinator's news for the region, sent to every group signed up to it."""
    if not may_post_bulletin(actor, region):
        raise ActionsError("Only coordinators of the region's countries can post to it.")
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ActionsError("Give the bulletin a title and some text.")
    with transaction.atomic():
        bulletin = RegionBulletin.objects.create(
            region=region, title=title, body=body, posted_by=actor
        )
        groups = LocalGroup.objects.filter(
            is_active=True, region_subscriptions__region=region
        ).distinct()
        context = {
            "region": region.name,
            "title": title,
            "body": body,
            "author": actor.full_name,
            "link": _link("actions:region", region.code),
        }
        for group in groups:
            notify_group(
                group,
                key=f"bulletin:{bulletin.pk}",
                template="region-bulletin",
                context=context,
                routine=True,
            )
        audit.record("region_bulletin.posted", bulletin, actor=actor, changes={"region": region.pk})
    return bulletin


# ---- One-off actions --------------------------------------------------------------------------


def save_one_off(
    one_off: OneOffAction | None,
    *,
    values: dict[str, Any],
    targets: list[dict[str, str]] | None = None,
    actor: User,
) -> OneOffAction:
    _require_staff(actor)
    with transaction.atomic():
        one_off = one_off or OneOffAction(created_by=actor)
        created = one_off.pk is None
        for field in ("kind", "title", "country", "case", "deadline", "text"):
            setattr(one_off, field, values[field])
        one_off.save()
        if targets is not None:
            one_off.targets.all().delete()
            ActionTarget.objects.bulk_create(
                ActionTarget(one_off=one_off, **target) for target in targets
            )
        audit.record(
            "one_off.created" if created else "one_off.changed",
            one_off,
            actor=actor,
            changes={"kind": one_off.kind, "deadline": one_off.deadline.isoformat()},
        )
    return one_off


def answer_request_with_one_offs(
    case_request: CaseRequest,
    *,
    one_offs: Iterable[OneOffAction],
    message: str = "",
    actor: User,
) -> CaseRequest:
    """Answer a group's request for cases with one-off actions instead of long-term cases (no
    yearly report is owed on them); the group is told which."""
    _require_staff(actor)
    one_offs = list(one_offs)
    if not one_offs:
        raise ActionsError("Choose at least one one-off action.")
    names = "; ".join(
        f"{o.get_kind_display()}: {o.title} (by {o.deadline:%-d %B %Y})" for o in one_offs
    )
    response = f"One-off actions for your meeting, on your meeting page: {names}."
    if message.strip():
        response += "\n" + message.strip()
    with transaction.atomic():
        for one_off in one_offs:
            OneOffAttachment.objects.get_or_create(
                one_off=one_off,
                group=case_request.group,
                defaults={"case_request": case_request},
            )
        try:
            case_request = group_services.fulfil_case_request(
                case_request, cases=[], response=response, actor=actor
            )
        except group_services.GroupError as exc:
            raise ActionsError(str(exc)) from exc
        audit.record(
            "case_request.one_offs_attached",
            case_request,
            actor=actor,
            changes={"one_offs": [o.pk for o in one_offs]},
        )
    return case_request


# ---- Bundles ----------------------------------------------------------------------------------


def bundle_problems(bundle: ActionBundle) -> list[str]:
    """What stops the bundle from going out, in words for staff."""
    if bundle.kind == ActionBundle.Kind.MAGAZINE:
        items = bundle.cases.count() + bundle.urgent_actions.count() + bundle.one_offs.count()
        if items < ActionBundle.MAGAZINE_MINIMUM:
            return [
                f"The magazine needs at least {ActionBundle.MAGAZINE_MINIMUM} cases or actions; "
                f"it has {items}."
            ]
        return []
    letters = (
        bundle.one_offs.filter(kind=OneOffAction.Kind.LETTER).count()
        + bundle.urgent_actions.count()
    )
    if letters < 1:
        return ["The monthly mailing always has a letter-writing action; add one."]
    return []


def save_bundle(
    bundle: ActionBundle | None,
    *,
    kind: str,
    title: str,
    introduction: str = "",
    cases: Iterable[Case] = (),
    urgent_actions: Iterable[UrgentAction] = (),
    one_offs: Iterable[OneOffAction] = (),
    actor: User,
) -> ActionBundle:
    _require_staff(actor)
    with transaction.atomic():
        if bundle is not None:
            bundle = ActionBundle.objects.select_for_update().get(pk=bundle.pk)
            if bundle.status != ActionBundle.Status.DRAFT:
                raise ActionsError("A published bundle cannot be changed.")
        else:
            bundle = ActionBundle()
        bundle.kind, bundle.title, bundle.introduction = kind, title.strip(), introduction.strip()
        bundle.save()
        bundle.cases.set(list(cases))
        bundle.urgent_actions.set(list(urgent_actions))
        bundle.one_offs.set(list(one_offs))
        audit.record("bundle.saved", bundle, actor=actor, changes={"kind": kind})
    return bundle


def bundle_context(bundle: ActionBundle) -> dict[str, Any]:
    # A confidential case is named by its reference only: a letter may lie on a stall.
    return {
        "title": bundle.title,
        "kind": bundle.get_kind_display(),
        "introduction": bundle.introduction,
        "cases": [
            {"reference": c.reference, "label": c.display_name_for(None), "country": c.country.name}
            for c in bundle.cases.select_related("country")
        ],
        "urgent_actions": [
            {"reference": u.reference, "title": u.title, "deadline": u.deadline.isoformat()}
            for u in bundle.urgent_actions.all()
        ],
        "one_offs": [
            {
                "kind": o.get_kind_display(),
                "title": o.title,
                "deadline": o.deadline.isoformat(),
                "text": o.text,
            }
            for o in bundle.one_offs.all()
        ],
        "link": _link("actions:this_month"),
    }


def publish_bundle(bundle: ActionBundle, *, actor: User) -> int:
    """Send the magazine or mailing to every active group by its channel."""
    _require_staff(actor)
    with transaction.atomic():
        bundle = ActionBundle.objects.select_for_update().get(pk=bundle.pk)
        if bundle.status == ActionBundle.Status.PUBLISHED:
            return 0
        problems = bundle_problems(bundle)
        if problems:
            raise ActionsError(" ".join(problems))
        bundle.status = ActionBundle.Status.PUBLISHED
        bundle.published_at = timezone.now()
        bundle.save(update_fields=["status", "published_at"])
        context = bundle_context(bundle)
        groups = list(LocalGroup.objects.filter(is_active=True))
        for group in groups:
            notify_group(
                group, key=f"bundle:{bundle.pk}", template="action-bundle", context=context
            )
        audit.record("bundle.published", bundle, actor=actor, changes={"groups": len(groups)})
    return len(groups)


# ---- What groups did --------------------------------------------------------------------------


def record_action(
    group: LocalGroup,
    *,
    subject: UrgentAction | ActionBundle | OneOffAction,
    kind: str,
    count: int,
    on: date,
    notes: str = "",
    actor: User,
) -> ActionRecord:
    """A group member records letters, cards or emails sent on an action."""
    if not is_member(actor, group):
        raise ActionsError("Only members of the group can record what it did.")
    if kind not in ActionRecord.Kind.values:
        raise ActionsError("Choose letters, cards or emails.")
    if not 1 <= count <= ActionRecord.MAX_COUNT:
        raise ActionsError(f"Enter a number between 1 and {ActionRecord.MAX_COUNT:,}.")
    if on > timezone.localdate():
        raise ActionsError("The date cannot be in the future.")
    field = {UrgentAction: "urgent_action", ActionBundle: "bundle", OneOffAction: "one_off"}[
        type(subject)
    ]
    with transaction.atomic():
        record = ActionRecord.objects.create(
            group=group,
            kind=kind,
            count=count,
            date=on,
            notes=notes.strip(),
            recorded_by=actor,
            **{field: subject},
        )
        audit.record(
            "action_record.created",
            record,
            actor=actor,
            changes={field: subject.pk, "kind": kind, "count": count},
        )
    return record


def set_next_meeting(group: LocalGroup, *, on: date | None, actor: User) -> LocalGroup:
    if on is not None and on < timezone.localdate():
        raise ActionsError("The meeting date cannot be in the past.")
    try:
        return group_services.update_group_settings(group, values={"next_meeting": on}, actor=actor)
    except group_services.GroupError as exc:
        raise ActionsError(str(exc)) from exc


# ---- Calendar feeds ---------------------------------------------------------------------------


def calendar_feed(user: User, *, renew: bool = False) -> CalendarFeed:
    """The person's secret calendar address; renewing it makes the old address stop working."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if renew and not created:
            feed.delete()
            feed = CalendarFeed.objects.create(user=user)
        if created or renew:
            audit.record("calendar_feed.issued", feed, actor=user)
    return feed


def revoke_calendar_feed(user: User) -> bool:
    with transaction.atomic():
        deleted, _ = CalendarFeed.objects.filter(user=user).delete()
        if deleted:
            audit.record("calendar_feed.revoked", user, actor=user)
    return bool(deleted)
