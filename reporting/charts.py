"""The data behind the programme's charts, each one counted in the database in one query.

Each chart is also a table: `Chart.rows` is what the table beside the chart shows and
`Chart.data` what the chart script draws, built from the same numbers so they cannot disagree.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from cases.models import Country, Region
from groups.models import Activity

from .figures import YearForm, activities_in

MONTHS = [calendar.month_abbr[number] for number in range(1, 13)]
MONTH_NAMES = [calendar.month_name[number] for number in range(1, 13)]


class ChartFilterForm(YearForm):
    """Year, and optionally a region or a country; a choice that does not exist is an error on
    the form, and the charts then show the whole programme for the year."""

    region = forms.ModelChoiceField(
        label="Region",
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label="All regions",
        error_messages={"invalid_choice": "Choose a region from the list."},
    )
    country = forms.ModelChoiceField(
        label="Country",
        queryset=Country.objects.select_related("region").order_by("name"),
        required=False,
        empty_label="All countries",
        error_messages={"invalid_choice": "Choose a country from the list."},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        region, country = cleaned.get("region"), cleaned.get("country")
        if region and country and country.region_id != region.pk:
            raise forms.ValidationError(
                f"{country.name} is not in {region.name}. Choose a country of that region, "
                "or all countries."
            )
        return cleaned


@dataclass(frozen=True)
class Scope:
    year: int
    region: Region | None = None
    country: Country | None = None

    @property
    def description(self) -> str:
        where = self.country or self.region
        return f"{where.name}, {self.year}" if where else f"All regions, {self.year}"


def scope_from(form: ChartFilterForm) -> Scope:
    year = form.chosen_year()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return Scope(year=year, region=data["region"], country=data["country"])
    return Scope(year=year)


def scoped_activities(scope: Scope) -> QuerySet[Activity]:
    activities = activities_in(scope.year)
    if scope.country is not None:
        return activities.filter(allocation__case__country=scope.country)
    if scope.region is not None:
        return activities.filter(allocation__case__country__region=scope.region)
    return activities


@dataclass
class Series:
    key: str
    label: str
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass
class Chart:
    """A chart and its table: `categories` label the rows (months or regions), each series is a
    column."""

    slug: str
    title: str
    kind: str  # the chart script's type: "bar" or "line"
    category_label: str
    categories: list[str]
    series: list[Series]
    stacked: bool = False
    # Whether the months add up to the year: actions do, but a group active in March and in
    # May is one group of the year, not two.
    additive: bool = True

    @property
    def element_id(self) -> str:
        return f"chart-data-{self.slug}"

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        return [
            (category, [serie.values[i] for serie in self.series])
            for i, category in enumerate(self.categories)
        ]

    @property
    def is_empty(self) -> bool:
        return not any(serie.total for serie in self.series)

    @property
    def data(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "stacked": self.stacked,
            "labels": self.categories,
            "datasets": [{"label": serie.label, "data": serie.values} for serie in self.series],
        }


def months_shown(year: int) -> int:
    """Every month of a past year; this year only up to this month, so the months to come do not
    read as months when nothing was done."""
    today = timezone.localdate()
    return 12 if year < today.year else max(1, today.month)


def _monthly(
    rows: QuerySet[Any], key: str | None, labels: dict[str, str], months: int
) -> list[Series]:
    """Series of monthly values from rows of (month, key, n); only keys with a value."""
    found: dict[str, list[int]] = {}
    for row in rows:
        name = row[key] if key else ""
        found.setdefault(name, [0] * 12)[row["month"] - 1] = row["n"]
    return [
        Series(value, label, found[value][:months])
        for value, label in labels.items()
        if value in found
    ]


def actions_by_kind(activities: QuerySet[Activity], months: int) -> Chart:
    rows = (
        activities.annotate(month=ExtractMonth("date"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
    )
    return Chart(
        slug="actions",
        title="Actions per month, by kind",
        kind="bar",
        category_label="Month",
        categories=MONTHS[:months],
        series=_monthly(rows, "kind", dict(Activity.Kind.choices), months),
        stacked=True,
    )


def letters_by_region(activities: QuerySet[Activity]) -> Chart:
    rows = (
        activities.filter(kind=Activity.Kind.APPEAL_LETTER)
        .values("allocation__case__country__region__name")
        .annotate(n=Sum("count"))
        .order_by("allocation__case__country__region__name")
    )
    pairs = [(row["allocation__case__country__region__name"], row["n"] or 0) for row in rows]
    return Chart(
        slug="letters",
        title="Letters per region",
        kind="bar",
        category_label="Region",
        categories=[name for name, _ in pairs],
        series=[Series("letters", "Letters", [n for _, n in pairs])],
    )


def groups_active_by_month(activities: QuerySet[Activity], months: int) -> Chart:
    rows = (
        activities.annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(n=Count("allocation__group", distinct=True))
    )
    series = _monthly(rows, None, {"": "Groups active"}, months)
    return Chart(
        slug="groups",
        title="Groups active per month",
        kind="line",
        category_label="Month",
        categories=MONTHS[:months],
        series=[Series("groups", "Groups active", series[0].values if series else [0] * months)],
        additive=False,
    )


def outcomes_by_month(activities: QuerySet[Activity], months: int) -> Chart:
    rows = (
        activities.filter(~Q(outcome=Activity.Outcome.NONE))
        .annotate(month=ExtractMonth("date"))
        .values("month", "outcome")
        .annotate(n=Count("pk"))
    )
    labels = {value: label for value, label in Activity.Outcome.choices if value}
    return Chart(
        slug="outcomes",
        title="Outcomes over time",
        kind="line",
        category_label="Month",
        categories=MONTHS[:months],
        series=_monthly(rows, "outcome", labels, months),
    )


def programme_charts(scope: Scope) -> list[Chart]:
    """The four charts for `scope`, in four queries whatever the number of actions."""
    activities = scoped_activities(scope)
    months = months_shown(scope.year)
    return [
        actions_by_kind(activities, months),
        letters_by_region(activities),
        groups_active_by_month(activities, months),
        outcomes_by_month(activities, months),
    ]
