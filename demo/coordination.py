"""Coordinators' updates on the demo cases, each group's notice of them, and whether the group
has read and acknowledged it."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from random import Random

from cases.models import Allocation
from coordinators.models import CaseUpdate, CaseUpdateNotice
from demo.allocations import AllocationSteps
from demo.base import SEED, AllocationPlan

# Coordinators' updates: (kind, title, body in the site's small Markdown subset). Fictional.
UPDATE_TEXTS = [
    (
        "development",
        "Trial postponed again",
        "The hearing set for this month has been **postponed** without a new date.\n\n"
        "Please keep writing: letters asking for a fair and prompt trial matter most now.",
    ),
    (
        "development",
        "Family able to visit",
        "Relatives were allowed a short visit for the first time in months. They report that "
        "letters from groups in the UK are being passed on and were *much appreciated*.",
    ),
    (
        "action_needed",
        "Write before the review hearing",
        "A review hearing is expected within weeks. Please send appeals to the current targets "
        "now, and post a short solidarity message if your group has not done so this year.",
    ),
    (
        "action_needed",
        "Concern for health in detention",
        "We have reports of poor health and no access to a doctor of choice. Please write "
        "urgently asking for independent medical care:\n\n- to the Minister of Justice\n"
        "- to the prison director",
    ),
    (
        "development",
        "Quieter period: keep the case visible",
        "There is little news this month. Stalls and local media work help keep the case in "
        "the public eye; see the casefile for ideas.",
    ),
]


class CoordinationSteps(AllocationSteps):
    def updates(self) -> None:
        """Coordinators' published updates on most cases with groups, each group's notice of
        them, and whether the group has read and acknowledged it. A random stream of its own
        keeps every row before this step as it was."""
        rng = Random(SEED + 1)
        by_case: dict[int, list[AllocationPlan]] = defaultdict(list)
        for plan in self.plans:
            if plan.obj.status == Allocation.Status.ACTIVE:
                by_case[plan.spec.obj.pk].append(plan)
        updates, notice_plans = [], []
        for plans in by_case.values():
            case = plans[0].spec.obj
            if case.coordinator is None or rng.random() < 0.25:
                continue
            first_start = min(p.started_on for p in plans)
            start = max(first_start, self.today - timedelta(days=330))
            for _ in range(rng.randint(1, 3)):
                kind, title, body = rng.choice(UPDATE_TEXTS)
                published = self.at(self.between(start, self.yesterday))
                update = CaseUpdate(
                    case=case,
                    kind=kind,
                    title=title,
                    body=body,
                    status=CaseUpdate.Status.PUBLISHED,
                    author=case.coordinator.user,
                    created_at=published - timedelta(hours=2),
                    published_at=published,
                )
                updates.append(update)
                notice_plans.append((update, published, plans))
        self.bulk(CaseUpdate, updates)
        notices = []
        for update, published, plans in notice_plans:
            for plan in plans:
                if plan.started_on > published.date():
                    continue
                notice = CaseUpdateNotice(update=update, allocation=plan.obj, created_at=published)
                readers = self.holder_candidates(plan.group)
                if readers and rng.random() < 0.6:
                    reader = plan.obj.holder or rng.choice(readers)
                    read = min(
                        published + timedelta(days=rng.randint(0, 20)),
                        self.at(self.yesterday),
                    )
                    notice.read_at, notice.read_by = read, reader
                    if rng.random() < 0.5:
                        notice.acknowledged_at, notice.acknowledged_by = read, reader
                notices.append(notice)
        # The demo holder's group has the newest update on one of its cases still to read, so
        # a newcomer sees how unread news looks.
        own = [n for n in notices if n.allocation.holder is self.holder]
        if own:
            newest = max(own, key=lambda n: n.created_at)
            newest.read_at = newest.read_by = newest.acknowledged_at = None
            newest.acknowledged_by = None
        self.bulk(CaseUpdateNotice, notices)
