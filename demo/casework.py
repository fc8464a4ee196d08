"""What the demo groups did on their cases: letters, stalls, petitions and the rest, month by
month, and their yearly reports with the coordinators' acknowledgements."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from cases.models import Allocation, Case
from demo.allocations import AllocationSteps
from groups.models import Activity, AnnualReport
from groups.yearly import add_years

CLOSING_NOTES = {
    "resolved": "Released and safe; the family thanked everyone who wrote.",
    "ethical_concern": "Work stopped after new information raised an ethical concern.",
    "person_request": "The person asked that campaigning stop.",
    "is_decision": "The International Secretariat closed the case.",
    "other": "Closed after a review of the programme's caseload.",
}

# kind, weight, (min count, max count), notes
ACTIVITY_KINDS = [
    (
        "appeal_letter",
        38,
        (2, 40),
        [
            "Letters written at the monthly meeting.",
            "Appeal letters signed at the Christmas card evening.",
            "Letters posted to the ministry and copied to the embassy.",
            "Members wrote from home using the suggested letter.",
        ],
    ),
    (
        "solidarity",
        10,
        (1, 25),
        [
            "Solidarity cards signed at the meeting.",
            "Messages of support sent via the family.",
        ],
    ),
    (
        "petition",
        9,
        (15, 650),
        [
            "Petition signatures gathered in the town centre.",
            "Online petition shared with supporters.",
        ],
    ),
    (
        "stall",
        8,
        (20, 300),
        [
            "Stall at the farmers' market; signatures gathered.",
            "Stall at the summer fair.",
            "Stall at the university freshers' fair.",
        ],
    ),
    (
        "local_media",
        5,
        (1, 1),
        [
            "Letter published in the local paper.",
            "Interview on local radio about the case.",
        ],
    ),
    (
        "demonstration",
        5,
        (1, 1),
        [
            "Candlelit vigil outside the town hall.",
            "Silent vigil on the anniversary of the arrest.",
        ],
    ),
    (
        "official_meeting",
        4,
        (1, 1),
        [
            "Met our MP at a constituency surgery; she agreed to write to the embassy.",
            "Meeting with a councillor about a council motion.",
        ],
    ),
    (
        "social_media",
        12,
        (1, 1),
        [
            "Posts shared on the group's social media accounts.",
            "Social media thread on the anniversary of the arrest.",
        ],
    ),
    (
        "event",
        5,
        (1, 1),
        [
            "Film screening and discussion.",
            "Write-for-rights evening at the library.",
        ],
    ),
    (
        "other",
        4,
        (1, 1),
        [
            "Birthday card campaign for the family.",
            "Wrote to the embassy in London.",
        ],
    ),
]
REPLY_NOTES = [
    "Acknowledgement received from the ministry; no substantive answer.",
    "Reply from the embassy saying the case is before the courts.",
    "Our MP received a reply from the Foreign Office.",
]
IMPROVEMENT_NOTES = [
    "The family report that visits are now allowed.",
    "Moved to a prison nearer the family.",
    "Received medical treatment after months of requests.",
]
OTHER_OUTCOME_NOTES = [
    "Hearing postponed again.",
    "The coordinator reports that the case was raised at the UN.",
]

REPORT_TEXT = {
    "what_worked": [
        "Letter-writing at meetings kept a steady flow of appeals.",
        "Stalls brought in many new signatures and two new members.",
        "The local paper covered the anniversary vigil.",
    ],
    "media": ["One letter in the local paper.", "Local radio interview.", "None this year."],
    "plans": [
        "Keep writing monthly and hold a vigil on the anniversary.",
        "Ask our MP to raise the case with the Foreign Office.",
        "A stall at the summer fair and a write-for-rights evening.",
    ],
    "concerns": ["", "", "We have had no news of the family for some months."],
    "acknowledgement": [
        "Thank you, this is very encouraging work. Please keep going.",
        "Many thanks for the report; I will pass the news of your vigil to the researcher.",
        "Thank you all. The family know that groups in the UK are writing.",
    ],
}


class CaseworkSteps(AllocationSteps):
    def activities(self) -> None:
        kinds = [k for k, _w, _c, _n in ACTIVITY_KINDS]
        weights = [w for _k, w, _c, _n in ACTIVITY_KINDS]
        details = {k: (c, n) for k, _w, c, n in ACTIVITY_KINDS}
        window_floor = self.today - timedelta(days=3 * 365)
        rows = []
        self.totals = defaultdict(list)
        for position, plan in enumerate(self.plans):
            allocation = plan.obj
            if allocation.started_on is None:
                continue
            last = self.yesterday
            if allocation.status == Allocation.Status.ENDED:
                assert allocation.ended_on is not None
                last = min(allocation.ended_on, self.yesterday)
            first = max(allocation.started_on, window_floor)
            members = [u for u, _ in self.members[plan.group]]
            pace = self.rng.choice([0.6, 1.0, 1.5, 2.2])
            month_start = first
            while month_start <= last:
                month_end = min(month_start + timedelta(days=29), last)
                n = int(pace) + (1 if self.rng.random() < pace - int(pace) else 0)
                n = max(0, n + self.rng.choice([-1, 0, 0, 1]))
                for _ in range(n):
                    kind = self.rng.choices(kinds, weights)[0]
                    (low, high), notes = details[kind]
                    on = self.between(month_start, month_end)
                    outcome, outcome_notes = "", ""
                    if kind in ("appeal_letter", "official_meeting", "other"):
                        roll = self.rng.random()
                        if roll < 0.04:
                            outcome = Activity.Outcome.REPLY
                            outcome_notes = self.rng.choice(REPLY_NOTES)
                        elif roll < 0.05:
                            outcome = Activity.Outcome.IMPROVEMENT
                            outcome_notes = self.rng.choice(IMPROVEMENT_NOTES)
                        elif roll < 0.056:
                            outcome = Activity.Outcome.OTHER
                            outcome_notes = self.rng.choice(OTHER_OUTCOME_NOTES)
                    recorder = allocation.holder
                    if recorder is None or self.rng.random() < 0.5:
                        recorder = self.rng.choice(members)
                    count = self.rng.randint(low, high)
                    rows.append(
                        Activity(
                            allocation=allocation,
                            kind=kind,
                            date=on,
                            count=count,
                            notes=self.rng.choice(notes),
                            outcome=outcome,
                            outcome_notes=outcome_notes,
                            recorded_by=recorder,
                            created_at=self.at(on),
                        )
                    )
                    self.totals[position].append((on, kind, count))
                month_start = month_end + timedelta(days=1)
            spec = plan.spec
            if (
                allocation.end_reason == Allocation.EndReason.CASE_CLOSED
                and spec.closing_reason == Case.ClosingReason.RESOLVED
                and spec.closed_on is not None
                and spec.closed_on >= window_floor
            ):
                on = self.between(max(first, spec.closed_on - timedelta(days=20)), spec.closed_on)
                rows.append(
                    Activity(
                        allocation=allocation,
                        kind=Activity.Kind.OTHER,
                        date=min(on, self.yesterday),
                        count=1,
                        notes="News from the coordinator.",
                        outcome=Activity.Outcome.RELEASE,
                        outcome_notes=CLOSING_NOTES["resolved"],
                        recorded_by=self.rng.choice(members),
                        created_at=self.at(min(on, self.yesterday)),
                    )
                )
        self.bulk(Activity, rows)

    def reports(self) -> None:
        rows = []
        for position, plan in enumerate(self.plans):
            allocation = plan.obj
            if allocation.status != Allocation.Status.ACTIVE:
                continue
            start = allocation.started_on
            assert start is not None
            members = self.holder_candidates(plan.group)
            assert plan.spec.obj.coordinator is not None  # every demo country has one
            coordinator = plan.spec.obj.coordinator.user
            periods = 0
            while add_years(start, periods + 1) <= self.yesterday:
                periods += 1
            for k in range(periods):
                period_start, period_end = add_years(start, k), add_years(start, k + 1)
                is_last = k == periods - 1
                if is_last and (
                    self.rng.random() < 0.2 or period_end > self.today - timedelta(days=5)
                ):
                    break  # overdue, or only just due
                submitted_on = min(
                    period_end + timedelta(days=self.rng.randint(3, 45)), self.yesterday
                )
                submitted_at = self.at(submitted_on)
                status = AnnualReport.Status.SUBMITTED
                acknowledged_at = None
                if not is_last or self.rng.random() < 0.55:
                    ack_on = min(
                        submitted_on + timedelta(days=self.rng.randint(2, 30)), self.yesterday
                    )
                    candidate = self.at(ack_on)
                    if candidate > submitted_at:
                        status, acknowledged_at = AnnualReport.Status.ACKNOWLEDGED, candidate
                done = [
                    (kind, count)
                    for on, kind, count in self.totals[position]
                    if period_start <= on < period_end
                ]
                letters = sum(c for kind, c in done if kind == "appeal_letter")
                signatures = sum(c for kind, c in done if kind in ("petition", "stall"))
                what_worked = self.rng.choice(REPORT_TEXT["what_worked"])
                if done:
                    what_worked = (
                        f"We sent {letters} letters and gathered {signatures} signatures. "
                        + what_worked
                    )
                rows.append(
                    AnnualReport(
                        allocation=allocation,
                        period_start=period_start,
                        period_end=period_end,
                        status=status,
                        what_worked=what_worked,
                        media_coverage=self.rng.choice(REPORT_TEXT["media"]),
                        plans=self.rng.choice(REPORT_TEXT["plans"]),
                        concerns=self.rng.choice(REPORT_TEXT["concerns"]),
                        submitted_at=submitted_at,
                        submitted_by=allocation.holder or self.rng.choice(members),
                        acknowledged_at=acknowledged_at,
                        acknowledged_by=coordinator if acknowledged_at else None,
                        acknowledgement=(
                            self.rng.choice(REPORT_TEXT["acknowledgement"])
                            if acknowledged_at
                            else ""
                        ),
                    )
                )
            else:
                # Every report so far is in; some groups have started the next one.
                due = add_years(start, periods + 1)
                if (due - self.today).days <= 45 and self.rng.random() < 0.6:
                    rows.append(
                        AnnualReport(
                            allocation=allocation,
                            period_start=add_years(start, periods),
                            period_end=due,
                            status=AnnualReport.Status.DRAFT,
                            what_worked=self.rng.choice(REPORT_TEXT["what_worked"]),
                        )
                    )
        self.bulk(AnnualReport, rows)
