"""The audit as staff read it: a confidential case that its holder and coordinator have opened (its
view log) and a pause and resume in its history, so the History and "Who opened it" pages are not
empty on a first visit."""

from __future__ import annotations

from datetime import timedelta

from cases.models import Allocation, Case
from demo.base import SeederBase
from iar_site import audit


class PrivacySteps(SeederBase):
    def privacy_history(self) -> None:
        # No random draws here: the steps before keep the data set they always had.
        plan = next(
            (
                p
                for p in self.plans
                if p.spec.sensitivity == Case.Sensitivity.CONFIDENTIAL
                and p.obj.status == Allocation.Status.ACTIVE
                and p.obj.holder is not None
                and p.obj.case.status == Case.Status.OPEN
            ),
            None,
        )
        if plan is None:
            return
        case, allocation = plan.obj.case, plan.obj
        coordinator = case.coordinator.user if case.coordinator else self.staff
        written = [
            (40, audit.record("case.paused", case, actor=self.staff, changes={"status": ["open", "paused"]})),
            (33, audit.record("case.resumed", case, actor=self.staff, changes={"status": ["paused", "open"]})),
        ]  # fmt: skip
        for days_ago, reader in ((12, allocation.holder), (6, coordinator), (2, allocation.holder)):
            written.append((days_ago, audit.record("case.viewed_confidential", case, actor=reader)))
        written.append((2, audit.record("case.letter_downloaded", case, actor=allocation.holder)))
        for days_ago, entry in written:
            entry.at = self.at(self.today - timedelta(days=days_ago))
            entry.save(update_fields=["at"])
        self.created["history entries"] += len(written)
