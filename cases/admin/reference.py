from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count

from iar_site.admin import StaffModelAdmin

from ..models import Country, Region, Theme

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CountryCount(TypedDict):
    """What the region list annotates."""

    _countries: int


@admin.register(Region)
class RegionAdmin(StaffModelAdmin):
    list_display = ("name", "code", "country_count")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_countries=Count("countries"))

    @admin.display(description="countries", ordering="_countries")
    def country_count(self, obj: WithAnnotations[Region, CountryCount]) -> int:
        return obj._countries


@admin.register(Country)
class CountryAdmin(StaffModelAdmin):
    list_display = ("name", "iso_code", "region")
    list_select_related = ("region",)
    list_filter = ("region",)
    search_fields = ("name", "iso_code", "region__name")
    ordering = ("name",)


@admin.register(Theme)
class ThemeAdmin(StaffModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)
