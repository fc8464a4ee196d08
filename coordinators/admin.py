from __future__ import annotations

from django.contrib import admin
from django.db.models import Prefetch

from cases.models import Country
from iar_site.admin import StaffModelAdmin

from .models import CountryCoordinator


@admin.register(CountryCoordinator)
class CountryCoordinatorAdmin(StaffModelAdmin):
    list_display = ("user", "login_email", "public_email", "phone", "country_list")
    list_filter = ("countries__region",)
    search_fields = (
        "user__full_name",
        "user__email",
        "public_email",
        "phone",
        "countries__name",
    )
    ordering = ("user__full_name",)
    autocomplete_fields = ("user",)
    filter_horizontal = ("countries",)

    def get_queryset(self, request):
        # The user is named wherever a coordinator is shown (lists, autocomplete on cases), and
        # the list shows each one's countries: one query for all rows, not one per row.
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .prefetch_related(
                Prefetch("countries", queryset=Country.objects.only("id", "name").order_by("name"))
            )
        )

    @admin.display(description="login email", ordering="user__email")
    def login_email(self, obj: CountryCoordinator) -> str:
        return obj.user.email

    @admin.display(description="countries")
    def country_list(self, obj: CountryCoordinator) -> str:
        return ", ".join(country.name for country in obj.countries.all())
