"""Filters of the staff list of groups. Every filter is a query-string parameter, so a filtered
list is a bookmarkable URL and can be saved under a name."""

from __future__ import annotations

import django_filters
from django.db.models import F, Q, QuerySet

from cases.filters import coordinators
from cases.models import Allocation, Case, Country, Gender, Region, Theme

from .models import LocalGroup

GROUP_LOAD_CHOICES = [
    ("allocated", "Full (as many cases as it can take)"),
    ("under", "Has room for more cases"),
    ("unallocated", "No case at all"),
]


class GroupFilter(django_filters.FilterSet):
    """Expects a queryset annotated with `open_cases`."""

    q = django_filters.CharFilter(label="Group name or town", method="search")
    region = django_filters.ModelChoiceFilter(
        label="Prefers region", queryset=Region.objects.all(), method="filter_region"
    )
    theme = django_filters.ModelChoiceFilter(
        label="Prefers issue", queryset=Theme.objects.all(), method="filter_theme"
    )
    kind = django_filters.ChoiceFilter(
        label="Prefers kind of case", field_name="preferred_kind", choices=Case.Kind.choices
    )
    gender = django_filters.ChoiceFilter(
        label="Prefers gender of the person", field_name="preferred_gender", choices=Gender.choices
    )
    country = django_filters.ModelChoiceFilter(
        label="Works on a case in", queryset=Country.objects.all(), method="filter_country"
    )
    coordinator = django_filters.ModelChoiceFilter(
        label="Works with coordinator",
        queryset=coordinators(),
        method="filter_coordinator",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("active", "Active"), ("inactive", "Inactive")],
        method="filter_status",
    )
    channel = django_filters.ChoiceFilter(
        label="Hears from us by", choices=LocalGroup.Channel.choices
    )
    allocation = django_filters.ChoiceFilter(
        label="Cases", choices=GROUP_LOAD_CHOICES, method="filter_allocation"
    )

    class Meta:
        model = LocalGroup
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(town__icontains=value))

    def filter_region(self, queryset, name, value):
        through = LocalGroup.preferred_regions.through
        return queryset.filter(pk__in=through.objects.filter(region=value).values("localgroup"))

    def filter_theme(self, queryset, name, value):
        through = LocalGroup.preferred_themes.through
        return queryset.filter(pk__in=through.objects.filter(theme=value).values("localgroup"))

    def _working_on(self, queryset, cases: QuerySet[Case]):
        return queryset.filter(
            pk__in=Allocation.objects.open().filter(case__in=cases).values("group_id")
        )

    def filter_country(self, queryset, name, value):
        return self._working_on(queryset, Case.objects.filter(country=value))

    def filter_coordinator(self, queryset, name, value):
        return self._working_on(queryset, Case.objects.filter(coordinator__user=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")

    def filter_allocation(self, queryset, name, value):
        if value == "allocated":
            return queryset.filter(open_cases__gte=F("capacity"))
        if value == "under":
            return queryset.filter(open_cases__lt=F("capacity"))
        if value == "unallocated":
            return queryset.filter(open_cases=0)
        return queryset
