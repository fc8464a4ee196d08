"""Which groups work on which demo cases: active and offered allocations within each case's and
group's limits, earlier ones that ended, and the changes of casefile holder."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from accounts.models import User
from cases.models import Allocation, Case, HolderChange
from demo.base import AllocationPlan, CaseSpec, SeederBase

GROUP_ALLOCATION_END_NOTES = {
    "relinquished": "The group has too few active members to continue.",
    "withdrawn": "Withdrawn by IAR when the case was reorganised.",
    "declined": "The group felt unable to take on a case in this country.",
}


class AllocationSteps(SeederBase):
    def pick_group(self, spec: CaseSpec, *, exclude: set[int], need_room: bool) -> int | None:
        candidates, weights = [], []
        for index in range(len(self.group_objs)):
            if index in exclude or (need_room and self.load[index] >= self.capacity[index]):
                continue
            weight = 1.0
            regions, themes = self.group_regions[index], self.group_themes[index]
            if regions:
                weight *= 4 if spec.region_code in regions else 0.3
            if themes & set(spec.themes):
                weight *= 3
            group = self.group_objs[index]
            if group.preferred_kind:
                weight *= 2 if group.preferred_kind == spec.kind else 0.5
            if group.preferred_gender and spec.kind == Case.Kind.INDIVIDUAL:
                weight *= 2 if group.preferred_gender == spec.people[0][1] else 0.5
            candidates.append(index)
            weights.append(weight)
        if not candidates:
            return None
        return self.rng.choices(candidates, weights)[0]

    def holder_candidates(self, group: int) -> list[User]:
        # The demo member stays a plain member; the demo holder holds only what is planned or
        # what falls to them by lot in their own group.
        return [u for u, _ in self.members[group] if u is not self.member]

    def active_start(self, spec: CaseSpec) -> date | None:
        earliest = max(spec.opened_on + timedelta(days=14), self.today - timedelta(days=6 * 365))
        latest = self.today - timedelta(days=365)
        if earliest > latest:
            return None
        return self.between(earliest, latest)

    def add_open(
        self,
        spec: CaseSpec,
        group: int,
        *,
        status: str,
        holder: User | None,
        started_on: date | None = None,
    ) -> None:
        if status == Allocation.Status.ACTIVE:
            started_on = started_on or self.active_start(spec)
            assert started_on is not None  # active work is planned on established cases only
            offered_at = self.at(started_on - timedelta(days=self.rng.randint(3, 30)))
        else:
            offered_at = self.at(self.today - timedelta(days=self.rng.randint(1, 21)))
        allocation = Allocation(
            case=spec.obj,
            group=self.group_objs[group],
            status=status,
            holder=holder,
            offered_at=offered_at,
            started_on=started_on if status == Allocation.Status.ACTIVE else None,
            allocated_by=self.staff,
        )
        self.plans.append(AllocationPlan(allocation, spec, group))
        spec.open_groups.add(group)
        self.load[group] += 1

    def add_ended(
        self, spec: CaseSpec, group: int, *, reason: str, start: date | None, end: date
    ) -> None:
        holder = None
        if start is not None:
            holder = self.rng.choice(self.holder_candidates(group))
        offered = (start or end) - timedelta(days=self.rng.randint(3, 30))
        stop_confirmed = None
        if reason == Allocation.EndReason.CASE_CLOSED and self.rng.random() < 0.85:
            confirmed = end + timedelta(days=self.rng.randint(1, 21))
            if confirmed <= self.yesterday:
                stop_confirmed = self.at(confirmed)
        allocation = Allocation(
            case=spec.obj,
            group=self.group_objs[group],
            status=Allocation.Status.ENDED,
            holder=holder,
            offered_at=self.at(offered),
            started_on=start,
            ended_on=end,
            end_reason=reason,
            end_notes=GROUP_ALLOCATION_END_NOTES.get(reason, ""),
            stop_confirmed_at=stop_confirmed,
            allocated_by=self.staff,
        )
        self.plans.append(AllocationPlan(allocation, spec, group))

    def allocations(self) -> None:
        self.plans = []
        by_country = defaultdict(list)
        for spec in self.specs:
            by_country[spec.country.pk].append(spec)
        # The demo logins first: the holder's group works on two cases of the demo coordinator's
        # countries, both held by the demo holder; the member's group on two others, one of them
        # without a holder (staff see "holder needed").
        anchors = [self.specs[i] for i in range(len(self.coordinator_countries))]
        self.add_open(anchors[0], 0, status=Allocation.Status.ACTIVE, holder=self.holder)
        self.add_open(anchors[1], 0, status=Allocation.Status.ACTIVE, holder=self.holder)
        self.add_open(
            anchors[2],
            1,
            status=Allocation.Status.ACTIVE,
            holder=self.rng.choice(self.holder_candidates(1)),
        )
        self.add_open(anchors[3], 1, status=Allocation.Status.ACTIVE, holder=None)

        order = list(self.specs)
        self.rng.shuffle(order)
        for spec in order:
            if spec.status == Case.Status.DRAFT:
                continue
            if spec.status == Case.Status.CLOSED:
                self.closed_case_allocations(spec)
                continue
            established = self.active_start(spec) is not None
            if spec.status == Case.Status.OPEN and established:
                wanted = 0 if self.rng.random() < 0.08 else self.rng.randint(1, spec.max_groups)
            elif spec.status == Case.Status.PAUSED and established:
                wanted = 1 if self.rng.random() < 0.65 else 0
            else:
                wanted = 0
            while len(spec.open_groups) < min(wanted, spec.max_groups):
                group = self.pick_group(spec, exclude=spec.open_groups, need_room=True)
                if group is None:
                    break
                holder = None
                if self.rng.random() > 0.08:
                    holder = self.rng.choice(self.holder_candidates(group))
                self.add_open(spec, group, status=Allocation.Status.ACTIVE, holder=holder)
            offer = self.rng.random() < (0.2 if established else 0.6)
            if (
                offer
                and spec.status == Case.Status.OPEN
                and len(spec.open_groups) < spec.max_groups
            ):
                group = self.pick_group(spec, exclude=spec.open_groups, need_room=True)
                if group is not None:
                    self.add_open(spec, group, status=Allocation.Status.OFFERED, holder=None)
            self.past_allocations(spec)
        self.bulk(Allocation, [plan.obj for plan in self.plans])
        self.holder_changes()

    def closed_case_allocations(self, spec: CaseSpec) -> None:
        closed_on = spec.closed_on or self.yesterday
        used: set[int] = set()
        for _ in range(self.rng.randint(1, min(2, spec.max_groups))):
            group = self.pick_group(spec, exclude=used, need_room=False)
            if group is None:
                break
            used.add(group)
            start = self.between(
                spec.opened_on + timedelta(days=14), closed_on - timedelta(days=120)
            )
            self.add_ended(
                spec, group, reason=Allocation.EndReason.CASE_CLOSED, start=start, end=closed_on
            )

    def past_allocations(self, spec: CaseSpec) -> None:
        # Earlier groups that gave the case back, were withdrawn, or declined the offer.
        latest_end = self.today - timedelta(days=20)
        earliest_start = spec.opened_on + timedelta(days=14)
        roll = self.rng.random()
        if roll < 0.2 and (latest_end - earliest_start).days > 400:
            group = self.pick_group(spec, exclude=spec.open_groups, need_room=False)
            if group is None:
                return
            start = self.between(earliest_start, latest_end - timedelta(days=200))
            end = self.between(start + timedelta(days=180), latest_end)
            reason = self.rng.choice(
                [Allocation.EndReason.RELINQUISHED] * 3 + [Allocation.EndReason.WITHDRAWN]
            )
            self.add_ended(spec, group, reason=reason, start=start, end=end)
        elif roll < 0.28 and (latest_end - earliest_start).days > 30:
            group = self.pick_group(spec, exclude=spec.open_groups, need_room=False)
            if group is None:
                return
            self.add_ended(
                spec,
                group,
                reason=Allocation.EndReason.DECLINED,
                start=None,
                end=self.between(earliest_start, latest_end),
            )

    def holder_changes(self) -> None:
        changes = []
        for position, plan in enumerate(self.plans):
            allocation = plan.obj
            if allocation.status != Allocation.Status.ACTIVE:
                continue
            others = [u for u in self.holder_candidates(plan.group) if u != allocation.holder]
            started = allocation.started_on
            assert started is not None
            if allocation.holder is not None:
                # The demo holder took over their first case from another member.
                if position == 0 or (self.rng.random() < 0.25 and others):
                    previous = self.rng.choice(others)
                    on = self.between(started + timedelta(days=60), self.yesterday)
                    changes.append(
                        HolderChange(
                            allocation=allocation,
                            from_user=previous,
                            to_user=allocation.holder,
                            changed_by=previous,
                            changed_at=self.at(on),
                        )
                    )
            elif others and self.rng.random() < 0.8:
                # The holder stepped down and nobody has taken the casefile on yet.
                on = self.between(max(started, self.today - timedelta(days=150)), self.yesterday)
                previous = self.rng.choice(others)
                changes.append(
                    HolderChange(
                        allocation=allocation,
                        from_user=previous,
                        to_user=None,
                        changed_by=previous,
                        changed_at=self.at(on),
                    )
                )
        self.bulk(HolderChange, changes)
