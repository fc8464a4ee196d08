"""The data set the access matrix runs against: everything of group X in country A, and the same
of group Y in country B (the "foreign" objects), one of each kind a URL can name.

`own` maps each URL keyword to a value naming an object of group X / country A; `foreign` to the
same kind of object of group Y / country B. Objects a persona of X or A may see are under `own`;
every persona of X or A must get a 404 for the `foreign` ones.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from accounts.invitations import invite_person
from accounts.models import Invitation
from actions.models import ActionBundle, CalendarFeed, OneOffAction, UrgentAction
from cases import services as case_services
from cases.models import Case, CasefileDocument, HolderChange, SavedView
from conversations.models import Message, MessageAttachment
from coordinators.models import CaseUpdate, CaseUpdateAttachment, StopRequest
from groups.models import AnnualReport, CaseRequest, LocalGroup, Membership
from iar_site.models import Heartbeat
from notifications import outbox
from notifications.models import OutboundMessage, PrintBatch
from reporting.models import ImportJob

from . import factories as f

# The link an invitation email carries (tests/test_accounts.py reads it the same way).
ACCEPT_PATH = re.compile(r"/invitations/accept/(?P<token>[^/\s\"'<>]+)/")

PERSONAS = (
    "staff",
    "coordinator_a",
    "coordinator_b",
    "holder_x",
    "member_x",
    "admin_x",
    "member_y",
    "no_role",
    "deactivated",
    "anonymous",
)
# The personas of group X or country A: another group's or country's object is a 404 for them.
OF_X_OR_A = ("coordinator_a", "holder_x", "member_x", "admin_x")


@dataclass
class AccessWorld:
    users: dict[str, Any]
    own: dict[str, Any] = field(default_factory=dict)
    foreign: dict[str, Any] = field(default_factory=dict)
    # Admin change pages: model label → primary key of a row of group X / country A.
    admin_objects: dict[str, Any] = field(default_factory=dict)


def _side(name: str, country, coordinator, holder, member, staff) -> dict[str, Any]:
    group = f.GroupFactory(name=f"Group {name}")
    Membership.objects.create(user=holder, group=group)
    Membership.objects.create(user=member, group=group)
    case = f.CaseFactory(
        reference=f"IAR-2026-{ {'X': 501, 'Y': 502}[name] }",
        title=f"Case of {name}",
        country=country,
        coordinator=coordinator,
        summary=f"Narrative of case {name}.",
    )
    target = f.TargetFactory(case=case, authority=f"Minister of {name}")
    allocation = f.AllocationFactory(
        case=case,
        group=group,
        holder=holder,
        started_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    activity = f.ActivityFactory(allocation=allocation, recorded_by=holder)
    document = CasefileDocument.objects.create(
        case=case, version=1, title="Casefile", uploaded_by=staff
    )
    document.file.save("casefile.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    update = CaseUpdate.objects.create(
        case=case, title=f"News of {name}", body="Body.", author=coordinator.user
    )
    attachment = CaseUpdateAttachment(
        update=update, original_name="note.pdf", content_type="application/pdf", size=14
    )
    attachment.file.save("note.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    change = HolderChange.objects.create(
        allocation=allocation,
        from_user=holder,
        to_user=member,
        changed_by=holder,
        status=HolderChange.Status.PENDING,
    )
    period_start = allocation.started_on
    report = AnnualReport.objects.create(
        allocation=allocation,
        period_start=period_start,
        period_end=period_start + datetime.timedelta(days=364),
        status=AnnualReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=holder,
    )
    request = CaseRequest.objects.create(
        group=group,
        requested_by=member,
        meeting_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    membership = member.memberships.get(group=group)
    message = Message.objects.create(
        allocation=allocation, author=coordinator.user, side=Message.Side.COORDINATOR, body="Hello."
    )
    message_attachment = MessageAttachment(
        message=message, original_name="reply.pdf", content_type="application/pdf", size=14
    )
    message_attachment.file.save("reply.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    stop = StopRequest.objects.create(
        case=case,
        reason=Case.ClosingReason.RESOLVED,
        explanation="The person is free.",
        requested_by=coordinator.user,
    )
    return {
        "reference": case.reference,
        "allocation_id": allocation.pk,
        "activity_id": activity.pk,
        "version": document.version,
        "period_start": period_start.isoformat(),
        "group_id": group.pk,
        "membership_id": membership.pk,
        "update_id": update.pk,
        "attachment_id": attachment.pk,
        "change_id": change.pk,
        "report_id": report.pk,
        "document_id": document.pk,
        "target_id": target.pk,
        "message_attachment_id": message_attachment.pk,
        "stop_id": stop.pk,
        **_offered_and_stopped(name, country, coordinator, group, holder, staff),
        # Keywords whose meaning depends on the URL: the matrix's KWARGS say which to use.
        "case_request_pk": request.pk,
        "group_pk": group.pk,
        "country_pk": country.pk,
        "objects": [
            case,
            group,
            allocation,
            activity,
            document,
            update,
            attachment,
            change,
            report,
            request,
            membership,
            target,
            country,
            message,
            message_attachment,
            stop,
        ],
    }


def _offered_and_stopped(name, country, coordinator, group, holder, staff) -> dict[str, Any]:
    """A case offered to the group and not yet answered, and a stopped case whose stop the group
    has not yet confirmed: made by the services staff use, so they are in the states the group's
    pages look for. Case X stays active, for the pages about an active allocation."""
    number = {"X": 0, "Y": 1}[name]
    offered = f.CaseFactory(
        reference=f"IAR-2026-{511 + number}",
        title=f"Offered case of {name}",
        country=country,
        coordinator=coordinator,
    )
    case_services.allocate_case(offered, group, actor=staff)
    stopped = f.CaseFactory(
        reference=f"IAR-2026-{521 + number}",
        title=f"Stopped case of {name}",
        country=country,
        coordinator=coordinator,
    )
    case_services.allocate_case(stopped, group, holder=holder, direct=True, actor=staff)
    case_services.stop_case(stopped, reason=Case.ClosingReason.RESOLVED, actor=staff)
    return {"offered_reference": offered.reference, "stopped_reference": stopped.reference}


def _invitation_token(group, admin) -> str:
    """The token of a pending invitation to the group, sent by its administrator. Only its hash is
    stored: the token exists in the email, so it is read from the email as it is made."""
    invitation = invite_person(
        email="newcomer.x@example.org",
        full_name="Nia Newcomer",
        role=Invitation.Role.GROUP_MEMBER,
        group=group,
        actor=admin,
    )
    message = OutboundMessage.objects.get(idempotency_key=f"invitation:{invitation.pk}")
    match = ACCEPT_PATH.search(outbox.render(message)[1])
    assert match is not None, "the invitation email has no link to accept it"
    return match["token"]


def _programme_objects(country, staff, holder) -> dict[str, Any]:
    """Objects of the whole programme, not of one group: every signed-in person sees a published
    Urgent Action, bundle, one-off action or region, so they have no foreign twin (group Y's
    personas are asked for these same ones)."""
    today = timezone.localdate()
    published = UrgentAction.objects.create(
        reference="UA 501/26",
        title="Release the students",
        country=country,
        deadline=today + datetime.timedelta(days=20),
        status=UrgentAction.Status.PUBLISHED,
        published_at=timezone.now(),
        created_by=staff,
        document_name="ua.pdf",
    )
    published.document.save("ua.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    draft = UrgentAction.objects.create(
        reference="UA 502/26",
        title="A draft",
        country=country,
        deadline=today + datetime.timedelta(days=20),
        created_by=staff,
    )
    one_off = OneOffAction.objects.create(
        title="Cards for the new year",
        kind=OneOffAction.Kind.CARD,
        country=country,
        deadline=today + datetime.timedelta(days=20),
        text="Send a card.",
        created_by=staff,
    )
    bundle = ActionBundle.objects.create(
        kind=ActionBundle.Kind.MAILING,
        title="This month's mailing",
        status=ActionBundle.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    bundle.one_offs.add(one_off)
    draft_bundle = ActionBundle.objects.create(kind=ActionBundle.Kind.MAGAZINE, title="Magazine")
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.CASES,
        format=ImportJob.Format.CSV,
        status=ImportJob.Status.CHECKED,
        created_by=staff,
    )
    return {
        "ua_pk": published.pk,
        "draft_ua_pk": draft.pk,
        "one_off_pk": one_off.pk,
        "bundle_pk": bundle.pk,
        "draft_bundle_pk": draft_bundle.pk,
        "import_job_pk": job.pk,
        "region_code": country.region.code,
        "calendar_token": CalendarFeed.objects.create(user=holder).token,
    }


def build_access_world() -> AccessWorld:
    country_a = f.CountryFactory(name="Country A")
    country_b = f.CountryFactory(name="Country B")
    staff = f.StaffFactory(email="staff@example.org", full_name="Sam Staff")
    coord_a = f.CoordinatorFactory(user__email="coord.a@example.org", countries=[country_a])
    coord_b = f.CoordinatorFactory(user__email="coord.b@example.org", countries=[country_b])
    holder_x = f.UserFactory(email="holder.x@example.org", full_name="Hana Holder")
    member_x = f.UserFactory(email="member.x@example.org", full_name="Max Member")
    admin_x = f.UserFactory(email="admin.x@example.org", full_name="Ada Admin")
    member_y = f.UserFactory(email="member.y@example.org", full_name="Yara Member")
    holder_y = f.UserFactory(email="holder.y@example.org", full_name="Yuri Holder")
    no_role = f.UserFactory(email="outsider@example.org", full_name="Otto Outsider")
    deactivated = f.UserFactory(email="gone@example.org", full_name="Gail Gone", is_active=False)

    own = _side("X", country_a, coord_a, holder_x, member_x, staff)
    foreign = _side("Y", country_b, coord_b, holder_y, member_y, staff)
    Membership.objects.create(user=admin_x, group_id=own["group_id"], role=Membership.Role.ADMIN)
    Membership.objects.create(
        user=deactivated, group_id=own["group_id"], role=Membership.Role.MEMBER
    )
    for number, side in enumerate((own, foreign)):
        side["saved_view_pk"] = SavedView.objects.create(
            user=staff, list_name="cases", name=f"Mine {number}", query="q=x"
        ).pk
        side["batch_id"] = PrintBatch.objects.create(created_by=staff).pk
    for name in ("worker", "scheduler"):
        Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
    own.update(_programme_objects(country_a, staff, holder_x))
    own["token"] = _invitation_token(LocalGroup.objects.get(pk=own["group_id"]), admin_x)
    own["staff_pk"] = staff.pk
    own["content_type_id"] = ContentType.objects.get_for_model(Case).pk
    # An invitation is not any group's to hide: its token is the key, and whoever holds it may
    # open the page. What must not be found is a token nobody was sent, so that is the twin
    # the personas of X and A are asked for.
    foreign["token"] = "not-a-real-invitation-token"

    world = AccessWorld(
        users={
            "staff": staff,
            "coordinator_a": coord_a.user,
            "coordinator_b": coord_b.user,
            "holder_x": holder_x,
            "member_x": member_x,
            "admin_x": admin_x,
            "member_y": member_y,
            "no_role": no_role,
            "deactivated": deactivated,
            "anonymous": None,
        },
        own=own,
        foreign=foreign,
    )
    for obj in own.pop("objects") + [staff]:
        world.admin_objects[obj._meta.label_lower] = obj.pk
    foreign.pop("objects")
    return world


def first_pk(model: type[models.Model]) -> Any:
    row = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return row if row is not None else 1
