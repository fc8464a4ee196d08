"""Paper and privacy in the demo: a case the demo group may not publicise, a case with an address
for solidarity messages, and postal items waiting in the print queue for groups that asked for
post: what each demo login finds on first sign-in (the group's case pages, the staff print queue
and its replies by post).

Uses no random numbers: the seed's shared stream stays as it was for every step before."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation, Case
from coordinators.models import CaseUpdate
from demo.base import SeederBase
from groups.models import Activity, LocalGroup
from iar_site import audit
from notifications.models import OutboundMessage

PRIVATE_REASON = (
    "The family asked us to keep the campaign out of the press while the appeal is heard: "
    "letters and solidarity only."
)
POSTAL_GROUPS = 3


class PaperSteps(SeederBase):
    def paper_and_private(self) -> None:
        # The demo holder's group: one case not to publicise, another with a solidarity address.
        cases = self._public_cases(self.group_objs[0])
        if cases:
            self._no_publicity(cases[0])
        if len(cases) > 1:
            self._solidarity_address(cases[1])
        # The demo member's group (a different one) writes to a person too.
        member_group = LocalGroup.objects.filter(memberships__user=self.member).first()
        if member_group is not None and member_group != self.group_objs[0]:
            theirs = self._public_cases(member_group)
            if theirs and not any(c.solidarity_address for c in theirs):
                self._solidarity_address(theirs[-1])
        self._postal_items()

    def _public_cases(self, group: LocalGroup) -> list[Case]:
        """The group's open public cases, those with the fewest public actions first."""
        public_kinds = [k for k in Activity.Kind.values if k not in Activity.PRIVATE_KINDS]
        allocations = (
            Allocation.objects.filter(
                group=group,
                status=Allocation.Status.ACTIVE,
                case__status=Case.Status.OPEN,
                case__sensitivity=Case.Sensitivity.PUBLIC,
            )
            .annotate(public=Count("activities", filter=Q(activities__kind__in=public_kinds)))
            .select_related("case", "case__country")
            .order_by("public", "case__reference")
        )
        return [a.case for a in allocations]

    def _no_publicity(self, case: Case) -> None:
        case.public_action_allowed = False
        case.save(update_fields=["public_action_allowed"])
        audit.record(
            "case.public_action_changed",
            case,
            actor=self.staff,
            changes={"public_action_allowed": [True, False], "reason": PRIVATE_REASON},
        )

    def _solidarity_address(self, case: Case) -> None:
        if case.solidarity_address:
            return
        person = case.people.order_by("pk").first()
        name = person.name if person else case.title
        case.solidarity_address = "\n".join(
            [name, "c/o the family's lawyer", "PO Box 118", case.country.name]
        )
        case.save(update_fields=["solidarity_address"])

    def _postal_items(self) -> None:
        """The latest news on a few post groups' cases, waiting to be printed, as publishing
        it would have queued it."""
        allocations = (
            Allocation.objects.filter(
                group__channel=LocalGroup.Channel.POST,
                status=Allocation.Status.ACTIVE,
                case__status=Case.Status.OPEN,
            )
            .select_related("group", "case")
            .order_by("group__name", "case__reference")
        )
        rows: list[OutboundMessage] = []
        groups: set[int] = set()
        now = timezone.now()
        for allocation in allocations:
            if allocation.group_id in groups or len(groups) >= POSTAL_GROUPS:
                continue
            case, group = allocation.case, allocation.group
            update = (
                CaseUpdate.objects.filter(case=case, status=CaseUpdate.Status.PUBLISHED)
                .select_related("author")
                .order_by("-published_at")
                .first()
            )
            if update is None:
                continue
            groups.add(group.pk)
            rows.append(
                OutboundMessage(
                    idempotency_key=f"update:{update.pk}:group:{group.pk}:post",
                    template="case-update",
                    channel=OutboundMessage.Channel.POST,
                    to_name=group.name,
                    postal_address=group.postal_address,
                    case=case,
                    recipient_group=group,
                    created_at=now,
                    context={
                        "group_name": group.name,
                        "case_reference": case.reference,
                        "update_id": update.pk,
                        "kind": update.kind,
                        "kind_label": update.get_kind_display(),
                        "title": update.title
                        if case.sensitivity == Case.Sensitivity.PUBLIC
                        else "",
                        "link": settings.SITE_URL
                        + reverse("coordinators:update_detail", args=[update.pk]),
                        "coordinator_name": str(update.author)
                        if update.author
                        else "Your country coordinator",
                    },
                )
            )
        self.bulk(OutboundMessage, rows)
