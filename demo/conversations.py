"""Messages between the demo groups and their coordinator, a request to stop a case waiting for
IAR, and an offer about to expire: what each demo login finds new on first sign-in.

Uses no random numbers: the seed's shared stream stays as it was for every step before."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from cases.models import Allocation, Case
from conversations.models import Message, ReadMarker
from coordinators.models import StopRequest
from demo.base import AllocationPlan, SeederBase

# (side, text). Fictional, in the tone volunteers use.
HOLDER_QUESTION = (
    "Hello, we sent 14 letters after our last meeting and one came back marked 'address "
    "unknown'. Is the prison director's address still right? We meet again next month."
)
COORDINATOR_ANSWER = (
    "Thank you for letting me know. The director changed in the spring: I have updated the "
    "targets on the case page, so please use the new address for the next letters. Keep going, "
    "the family say the letters matter a great deal."
)
MEMBER_NEWS = (
    "Our stall at the summer fair gathered 120 signatures for the petition, and the local paper "
    "is going to mention the case next week. Should we send the petition to the embassy?"
)
STOP_EXPLANATION = (
    "The family have asked us to stop all public work: they are negotiating a release and "
    "fear that attention now could harm it. Please stop the case."
)


class ConversationSteps(SeederBase):
    def conversations(self) -> None:
        """A conversation on each demo group's first case: the holder's ends with an answer they
        have not read yet, the member's group's with news the coordinator has not read yet."""
        holder_plan = self.plans[0]
        # The member reads their group's messages only where the case is not confidential (or
        # they hold it): the demo shows them a conversation they may read.
        member_plan = next(
            (
                plan
                for plan in self.plans[2:4]
                if plan.spec.obj.sensitivity != Case.Sensitivity.CONFIDENTIAL
                or plan.obj.holder == self.member
            ),
            self.plans[2],
        )
        now = self.at(self.today)
        coordinator = self.coordinator_user
        messages = [
            Message(
                allocation=holder_plan.obj,
                author=self.holder,
                side=Message.Side.GROUP,
                body=HOLDER_QUESTION,
                created_at=now - timedelta(days=6),
            ),
            Message(
                allocation=holder_plan.obj,
                author=coordinator,
                side=Message.Side.COORDINATOR,
                body=COORDINATOR_ANSWER,
                created_at=now - timedelta(days=2),
            ),
            Message(
                allocation=member_plan.obj,
                author=self.member,
                side=Message.Side.GROUP,
                body=MEMBER_NEWS,
                created_at=now - timedelta(days=1),
            ),
        ]
        self.bulk(Message, messages)
        # Each writer has read up to their own message; nobody has read what came after.
        self.bulk(
            ReadMarker,
            [
                ReadMarker(allocation=m.allocation, user=m.author, read_at=m.created_at)
                for m in messages
            ],
        )
        self.stop_request()
        self.offer_near_expiry()

    def stop_request(self) -> None:
        """The demo coordinator asks IAR to stop an open case of theirs nobody else relies on."""
        anchors = {plan.spec.obj.pk for plan in self.plans[:4]}
        candidates = [
            spec
            for spec in self.specs
            if spec.status == Case.Status.OPEN
            and spec.country in self.coordinator_countries
            and spec.obj.pk not in anchors
        ]
        if not candidates:
            return
        self.bulk(
            StopRequest,
            [
                StopRequest(
                    case=candidates[0].obj,
                    reason=Case.ClosingReason.PERSON_REQUEST,
                    explanation=STOP_EXPLANATION,
                    requested_by=self.coordinator_user,
                    requested_at=self.at(self.today - timedelta(days=3)),
                )
            ],
        )

    def offer_near_expiry(self) -> None:
        """An offer to the demo holder's group that ends in three days unless answered."""
        offered_at = self.at(self.today - timedelta(days=settings.OFFER_EXPIRY_DAYS - 3))
        group = 0
        for spec in self.specs:
            if (
                spec.status == Case.Status.OPEN
                and group not in spec.open_groups
                and len(spec.open_groups) < spec.max_groups
                and not Allocation.objects.filter(case=spec.obj, group=self.group_objs[group])
                .exclude(end_reason__in=["", Allocation.EndReason.DECLINED])
                .exists()
            ):
                allocation = Allocation(
                    case=spec.obj,
                    group=self.group_objs[group],
                    status=Allocation.Status.OFFERED,
                    offered_at=offered_at,
                    allocated_by=self.staff,
                )
                self.bulk(Allocation, [allocation])
                self.plans.append(AllocationPlan(allocation, spec, group))
                spec.open_groups.add(group)
                return
