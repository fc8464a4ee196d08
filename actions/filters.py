import django_filters

from cases.models import Region, Theme

from .models import UrgentAction


class UrgentActionFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label="Region",
        field_name="country__region",
        queryset=Region.objects.all(),
        empty_label="All regions",
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme", field_name="themes", queryset=Theme.objects.all(), empty_label="All themes"
    )

    class Meta:
        model = UrgentAction
        fields = ["region", "theme"]
