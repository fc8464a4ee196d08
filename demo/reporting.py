"""A finished import on the staff's Imports page: the demo groups, as if brought in from the
programme's spreadsheet, so a newcomer sees what a checked and imported file looks like."""

from __future__ import annotations

from datetime import timedelta

from demo.base import SeederBase
from reporting.models import ImportJob


class ReportingSteps(SeederBase):
    def import_history(self) -> None:
        # No random draws here: the steps before keep the data set they always had.
        groups = self.group_objs
        finished = self.at(self.today - timedelta(days=30))
        ImportJob.objects.create(
            kind=ImportJob.Kind.GROUPS,
            format=ImportJob.Format.XLSX,
            status=ImportJob.Status.DONE,
            total_rows=len(groups),
            progress=len(groups),
            totals={"new": len(groups), "update": 0, "skip": 0, "error": 0},
            rows=[{"row": n + 2, "action": "new", "errors": []} for n in range(len(groups))],
            created_by=self.staff,
            created_at=finished - timedelta(minutes=3),
            confirmed_at=finished - timedelta(minutes=1),
            finished_at=finished,
        )
        self.created[str(ImportJob._meta.verbose_name_plural)] += 1
