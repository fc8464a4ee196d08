"""An import of a spreadsheet: checked first (a dry run), written only when staff confirm."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        CASES = "cases", "Cases"
        GROUPS = "groups", "Local groups"
        MEMBERS = "members", "Group members"
        ALLOCATIONS = "allocations", "Existing allocations"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking the file"
        CHECKED = "checked", "Checked: ready to import"
        INVALID = "invalid", "Has problems: nothing imported"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed: nothing imported"

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    format = models.CharField(max_length=10, choices=Format.choices)
    # The file itself, kept in the database so any worker can read it; it is cleared once the
    # import is done or refused, since it may hold personal data.
    data = models.BinaryField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0, help_text="Rows done in the current step")
    totals = models.JSONField(default=dict, blank=True, help_text="Rows by outcome")
    rows = models.JSONField(
        default=list, blank=True, help_text="Per row: its number, outcome and any errors"
    )
    problem = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.get_kind_display().lower()}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.progress / self.total_rows))
