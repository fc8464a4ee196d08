"""Filters of the staff list of cases (the list of groups has its own, in `groups.filters`).
Every filter is a query-string parameter, so a filtered list is a bookmarkable URL and can be
saved under a name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet

from accounts.models import User

from .models import Case, CasePerson, Country, Gender, Region, Theme
from .search import confidential_ids_matching

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class OpenGroups(TypedDict):
    """The open-allocation count the case list annotates (`Case.open_allocations`)."""

    open_groups: int


ALLOCATION_CHOICES = [
    ("allocated", "Allocated (every place taken)"),
    ("under", "Under-allocated (some places free)"),
    ("unallocated", "Unallocated (no group)"),
]


class ListSelect(forms.Select):
    """A select whose options are one loop of its own template: Django's own renders each option
    through two more templates, which was most of the filter form's time."""

    template_name = "cases/staff/select.html"


def list_choices_in_one_query(form: forms.Form) -> None:
    """Give each model choice of `form` its options from one plain query. Left alone, Django
    reads them with `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor: three
    round trips (declare, fetch, close) for each select. The field keeps its queryset, which
    validates what was chosen."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            iterator = field.iterator(field)
            choices: list[tuple[Any, Any]] = []
            if field.empty_label is not None:
                choices.append(("", field.empty_label))
            # django-filters' fields may offer "no value" as a choice of its own.
            null_label = getattr(field, "null_label", None)
            if null_label is not None:
                choices.append((getattr(field, "null_value", None), null_label))
            choices += [iterator.choice(obj) for obj in field.queryset]
            field.widget.choices = choices


def coordinators() -> QuerySet[User]:
    """Everyone who is a country coordinator, by name: the choices of the coordinator filters."""
    return User.objects.filter(coordinator_profile__isnull=False).order_by("full_name")


class CaseFilter(django_filters.FilterSet):
    """Expects a queryset annotated with `open_groups`."""

    q = django_filters.CharFilter(label="Reference or name", method="search")
    region = django_filters.ModelChoiceFilter(
        label="Region",
        field_name="country__region",
        queryset=Region.objects.all(),
        widget=ListSelect,
    )
    country = django_filters.ModelChoiceFilter(
        label="Country", queryset=Country.objects.all(), widget=ListSelect
    )
    theme = django_filters.ModelChoiceFilter(
        label="Issue", queryset=Theme.objects.all(), method="filter_theme", widget=ListSelect
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of case", choices=Case.Kind.choices, widget=ListSelect
    )
    gender = django_filters.ChoiceFilter(
        label="Gender of the person",
        choices=Gender.choices,
        method="filter_gender",
        widget=ListSelect,
    )
    sensitivity = django_filters.ChoiceFilter(choices=Case.Sensitivity.choices, widget=ListSelect)
    status = django_filters.ChoiceFilter(choices=Case.Status.choices, widget=ListSelect)
    # Through the case's relation to the coordinator's login, so this list needs no knowledge of
    # the coordinators app; the choices are the people who have a coordinator profile.
    coordinator = django_filters.ModelChoiceFilter(
        label="Country coordinator",
        field_name="coordinator__user",
        queryset=coordinators(),
        widget=ListSelect,
    )
    allocation = django_filters.ChoiceFilter(
        label="Groups", choices=ALLOCATION_CHOICES, method="filter_allocation", widget=ListSelect
    )

    class Meta:
        model = Case
        fields: list[str] = []

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            list_choices_in_one_query(super().form)
        return self._form

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()[:100]
        if not value:
            return queryset
        people = CasePerson.objects.filter(name__icontains=value).values("case_id")
        # A confidential case's title and names are sealed, out of SQL's reach: they are
        # matched in Python (this list is staff's, who may see them).
        sealed = confidential_ids_matching([value], queryset)
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(pk__in=people)
            | Q(pk__in=sealed)
        )

    def filter_theme(self, queryset: QuerySet[Case], name: str, value: Theme) -> QuerySet[Case]:
        return queryset.filter(
            pk__in=Case.themes.through.objects.filter(theme=value).values("case")
        )

    def filter_gender(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(pk__in=CasePerson.objects.filter(gender=value).values("case_id"))

    def filter_allocation(
        self, queryset: QuerySet[WithAnnotations[Case, OpenGroups]], name: str, value: str
    ) -> QuerySet[Case]:
        if value == "allocated":
            return queryset.filter(open_groups__gte=F("max_groups"))
        if value == "under":
            return queryset.filter(open_groups__lt=F("max_groups"))
        if value == "unallocated":
            return queryset.filter(open_groups=0)
        return queryset
