"""The programme's yearly figures by region and country: what groups did and what came of it.

Every figure is counted in the database, by country, by region and for the whole programme in
one query each: groups and cases are counted distinct at each level (a group working on cases in
two countries of a region is one group of that region), so a region's figure is not always the
sum of its countries'. The number of queries does not depend on the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import Allocation, Country
from groups.models import Activity

# The figures and their column headings, in the order of the table, the exports and the PDF.
COLUMNS: list[tuple[str, str]] = [
    ("letters", "Letters"),
    ("actions", "Actions"),
    ("groups_active", "Groups active"),
    ("cases_worked", "Cases worked"),
    ("replies", "Replies"),
    ("releases", "Releases"),
    ("improvements", "Improvements"),
]

_ACTIVITY_FIGURES = {
    "letters": Coalesce(Sum("count", filter=Q(kind=Activity.Kind.APPEAL_LETTER)), 0),
    "actions": Count("pk"),
    "groups_active": Count("allocation__group", distinct=True),
    "replies": Count("pk", filter=Q(outcome=Activity.Outcome.REPLY)),
    "releases": Count("pk", filter=Q(outcome=Activity.Outcome.RELEASE)),
    "improvements": Count("pk", filter=Q(outcome=Activity.Outcome.IMPROVEMENT)),
}
_CASE_FIGURES = {"cases_worked": Count("case", distinct=True)}

COUNTRY = "allocation__case__country"
REGION = "allocation__case__country__region"


@dataclass
class Row:
    """One line of the table: a country, a region's total or the programme's."""

    name: str
    region: str
    level: str  # "country", "region" or "all"
    values: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[int]:
        return [self.values.get(key, 0) for key, _ in COLUMNS]


@dataclass
class RegionBlock:
    total: Row
    countries: list[Row]


@dataclass
class YearFigures:
    year: int
    regions: list[RegionBlock]
    total: Row

    def rows(self) -> list[Row]:
        """Every line in reading order: each region's countries, then its total, then the
        programme's total."""
        lines: list[Row] = []
        for block in self.regions:
            lines.extend(block.countries)
            lines.append(block.total)
        lines.append(self.total)
        return lines


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def activities_in(year: int) -> QuerySet[Activity]:
    start, end = year_bounds(year)
    # A date range, not date__year, so the (allocation, date) index can serve it.
    return Activity.objects.filter(date__gte=start, date__lte=end).order_by()


def allocations_worked_in(year: int) -> QuerySet[Allocation]:
    """Allocations active on at least one day of `year`: started by its end, not ended before it
    began. An offer never accepted has no start and does not count."""
    start, end = year_bounds(year)
    return (
        Allocation.objects.filter(started_on__isnull=False, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .order_by()
    )


def _by(rows: QuerySet[Any], key: str, figures: dict[str, Any]) -> dict[int, dict[str, int]]:
    return {row.pop(key): row for row in rows.values(key).annotate(**figures)}


def year_figures(year: int) -> YearFigures:
    """The figures of `year` for every country with an action or a case worked in it."""
    activities = activities_in(year)
    allocations = allocations_worked_in(year)
    by_country = _by(activities, COUNTRY, _ACTIVITY_FIGURES)
    by_region = _by(activities, REGION, _ACTIVITY_FIGURES)
    for country_id, values in _by(allocations, "case__country", _CASE_FIGURES).items():
        by_country.setdefault(country_id, {}).update(values)
    for region_id, values in _by(allocations, "case__country__region", _CASE_FIGURES).items():
        by_region.setdefault(region_id, {}).update(values)
    total = {**activities.aggregate(**_ACTIVITY_FIGURES), **allocations.aggregate(**_CASE_FIGURES)}

    countries = Country.objects.filter(pk__in=by_country).select_related("region")
    blocks: dict[int, RegionBlock] = {}
    for country in sorted(countries, key=lambda c: (c.region.name, c.name)):
        region = country.region
        block = blocks.get(region.pk)
        if block is None:
            block = blocks[region.pk] = RegionBlock(
                total=Row(region.name, region.name, "region", by_region.get(region.pk, {})),
                countries=[],
            )
        block.countries.append(
            Row(country.name, region.name, "country", by_country.get(country.pk, {}))
        )
    return YearFigures(
        year=year,
        regions=list(blocks.values()),
        total=Row("All regions", "", "all", {k: v or 0 for k, v in total.items()}),
    )


def first_year() -> int:
    """The year of the earliest action recorded, or this year when there is none."""
    earliest = Activity.objects.aggregate(first=Min("date"))["first"]
    this_year = timezone.localdate().year
    return min(earliest.year, this_year) if earliest else this_year


def year_choices() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year, first_year() - 1, -1)]


class YearForm(forms.Form):
    """The year to show; an unknown or missing year shows this year's figures."""

    year = forms.TypedChoiceField(
        label="Year",
        coerce=int,
        choices=(),
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a year from the list."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = year_choices()

    def chosen_year(self) -> int:
        # The year alone counts here: another field's error does not lose the chosen year.
        if self.is_bound:
            self.is_valid()
            year = self.cleaned_data.get("year")
            if year:
                return int(year)
        return timezone.localdate().year


def export_rows(figures: YearFigures) -> list[list[Any]]:
    """The table as spreadsheet rows: region, country (or 'All countries' on a region's total),
    then each figure."""
    lines = []
    for row in figures.rows():
        if row.level == "country":
            lines.append([row.region, row.name, *row.cells])
        elif row.level == "region":
            lines.append([row.region, "All countries", *row.cells])
        else:
            lines.append(["All regions", "All countries", *row.cells])
    return lines


EXPORT_HEADERS = ["Region", "Country", *(label for _, label in COLUMNS)]
