"""Lookups the site registers at start-up (IarSiteConfig.ready)."""

from __future__ import annotations

from copy import copy

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`in` on an integer column leaves out numbers no such column can hold, as Django's own
    `exact` does. A 20-digit id typed into a multi-select then matches nothing (a form error)
    instead of overflowing SQLite's integers (an OverflowError, a 500)."""

    def process_rhs(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().process_rhs(compiler, connection)
        low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
        kept = copy(self)
        kept.rhs = [
            value
            for value in self.rhs
            if not isinstance(value, int)
            or ((low is None or value >= low) and (high is None or value <= high))
        ]
        return In.process_rhs(kept, compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
