"""Staff assign country coordinators to countries. A coordinator reads every case of the
countries they cover, confidential ones included, so only IAR staff grant it and every grant
or removal is audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from accounts.access import is_staff
from cases.models import Country
from iar_site import audit

from .models import CountryCoordinator

if TYPE_CHECKING:
    from accounts.models import User


class CoordinatorError(Exception):
    """A refusal with text fit to show the user."""


def set_country_coordinators(
    country: Country, coordinators: Iterable[CountryCoordinator], *, actor: User
) -> list[CountryCoordinator]:
    if not is_staff(actor):
        raise CoordinatorError("Only IAR staff can assign coordinators to countries.")
    wanted = {c.pk: c for c in coordinators}
    with transaction.atomic():
        country = Country.objects.select_for_update().get(pk=country.pk)
        current = set(
            CountryCoordinator.objects.filter(countries=country).values_list("pk", flat=True)
        )
        through = CountryCoordinator.countries.through
        added = sorted(set(wanted) - current)
        removed = sorted(current - set(wanted))
        through.objects.filter(country=country, countrycoordinator_id__in=removed).delete()
        through.objects.bulk_create(
            through(country=country, countrycoordinator_id=pk) for pk in added
        )
        if added or removed:
            audit.record(
                "country.coordinators_changed",
                country,
                actor=actor,
                changes={"added": added, "removed": removed},
            )
    return sorted(wanted.values(), key=lambda c: c.pk)
