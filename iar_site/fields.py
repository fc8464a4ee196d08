"""Model fields whose value is sealed (iar_site.crypto) on the rows that ask for it.

Only some rows are sealed, those whose model says so through `seals_private_fields()` (a
confidential case and its people): the others stay plain, so searching and sorting them stays in
SQL. A third-party encrypted field would seal every row. Reading unseals, so models, forms and
templates see plain text either way.

Writes that skip `pre_save` (`QuerySet.update`, `bulk_update`, raw SQL, COPY) must call
`crypto.seal` themselves for the rows that need it.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from . import crypto


class SealedMixin:
    """Seals in `pre_save`, unseals in `from_db_value`."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)  # type: ignore[misc]
        # Historical models in migrations have no `seals_private_fields`: their values are
        # written as given (a data migration seals with crypto.seal itself).
        seals = getattr(model_instance, "seals_private_fields", None)
        if not isinstance(value, str) or not value or seals is None:
            return value
        # Text typed with the sealed prefix is sealed on any row: stored plain, it would be
        # taken for a sealed value when read back.
        if seals() or crypto.is_sealed(value):
            return crypto.seal(value)
        return value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, str):
            return crypto.unseal(value)
        return value


class SealedCharField(SealedMixin, models.CharField):
    """A CharField stored in a text column: a sealed value is several times longer than the
    text, so `max_length` checks what people type (forms, `full_clean`), not the column."""

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def cast_db_type(self, connection: Any) -> str | None:
        return models.TextField().cast_db_type(connection)


class SealedTextField(SealedMixin, models.TextField):
    pass
