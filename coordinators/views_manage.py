"""Staff see which coordinator covers each country (a country with none is flagged) and change it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import AuthenticatedHttpRequest, staff_required
from cases.models import Country

from .models import CountryCoordinator
from .services_manage import CoordinatorError, set_country_coordinators


class CountryCoordinatorsForm(forms.Form):
    coordinators = forms.ModelMultipleChoiceField(
        label="Country coordinators",
        queryset=CountryCoordinator.objects.select_related("user").order_by("user__full_name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if nobody covers the country yet",
    )


@staff_required
def countries(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = (
        Country.objects.select_related("region")
        .annotate(n_coordinators=Count("coordinators"))
        .prefetch_related(
            Prefetch("coordinators", queryset=CountryCoordinator.objects.select_related("user"))
        )
        .order_by(
            "-n_coordinators" if request.GET.get("order") == "most" else "n_coordinators", "name"
        )
    )
    return render(request, "coordinators/manage/countries.html", {"countries": rows})


@staff_required
def country(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    chosen = get_object_or_404(Country, pk=pk)
    initial = {"coordinators": list(CountryCoordinator.objects.filter(countries=chosen))}
    form = CountryCoordinatorsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_country_coordinators(chosen, form.cleaned_data["coordinators"], actor=request.user)
        except CoordinatorError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved the coordinators of {chosen.name}.")
            return redirect("coordinator_manage:countries")
    return render(request, "coordinators/manage/country.html", {"country": chosen, "form": form})
