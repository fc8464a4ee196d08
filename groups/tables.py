"""The staff list of groups as a table, paged and exported like the list of cases."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from cases.tables import ListTable

from .models import LocalGroup


class GroupTable(ListTable):
    name = tables.Column(verbose_name="Group")
    town = tables.Column()
    channel = tables.Column(verbose_name="By")
    open_cases = tables.Column(verbose_name="Cases")
    next_meeting = tables.DateColumn(verbose_name="Next meeting", format="j M Y", default="")
    last_new = tables.DateTimeColumn(verbose_name="Last new case", format="j M Y", default="never")
    is_active = tables.BooleanColumn(verbose_name="Active", yesno="Yes,No")

    class Meta(ListTable.Meta):
        order_by = ("name",)
        empty_text = "No group matches these filters."

    def render_name(self, record: LocalGroup, value: str) -> str:
        return format_html('<a href="{}">{}</a>', reverse("staff:group", args=[record.pk]), value)

    def value_name(self, value: str) -> str:
        return value

    def render_channel(self, record: LocalGroup) -> str:
        return record.get_channel_display()

    def render_open_cases(self, record: LocalGroup, value: int) -> str:
        return f"{value} of {record.capacity}"
