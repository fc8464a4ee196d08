from __future__ import annotations

from django.conf import settings
from django.db import models


class CountryCoordinator(models.Model):
    """A volunteer country coordinator: the groups' first point of contact on a case."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_profile"
    )
    countries = models.ManyToManyField("cases.Country", related_name="coordinators", blank=True)
    public_email = models.EmailField(
        blank=True, help_text="Address groups write to; defaults to the login email"
    )
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def contact_email(self) -> str:
        return self.public_email or self.user.email
