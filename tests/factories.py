"""factory_boy factories for every model the tests need."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from cases.counts import refresh_case_counters
from cases.models import (
    Allocation,
    CampaignTarget,
    Case,
    CasePerson,
    Country,
    Region,
    Theme,
)
from coordinators.models import CountryCoordinator
from groups.models import Activity, LocalGroup, Membership

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Region {n}")
    code = factory.Sequence(lambda n: f"region-{n}")


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country

    name = factory.Sequence(lambda n: f"Country {n}")
    iso_code = factory.Sequence(lambda n: f"{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}")
    region = factory.SubFactory(RegionFactory)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class CoordinatorFactory(DjangoModelFactory):
    class Meta:
        model = CountryCoordinator
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.countries.set(extracted)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"IAR-T-{n:05d}")
    title = factory.Faker("name")
    kind = Case.Kind.INDIVIDUAL
    country = factory.SubFactory(CountryFactory)
    summary = factory.Faker("paragraph")
    sensitivity = Case.Sensitivity.PUBLIC
    status = Case.Status.OPEN
    max_groups = 2


class CasePersonFactory(DjangoModelFactory):
    class Meta:
        model = CasePerson

    case = factory.SubFactory(CaseFactory)
    name = factory.Faker("name")


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = CampaignTarget

    case = factory.SubFactory(CaseFactory)
    authority = "Minister of Justice"
    title = factory.Faker("name")
    postal_address = "Ministry of Justice\n1 Government Square\nCapital City"
    email = "minister@justice.example"
    salutation = "Dear Minister"


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = LocalGroup

    name = factory.Sequence(lambda n: f"Town {n} Amnesty Group")
    town = factory.Sequence(lambda n: f"Town {n}")
    postal_address = "1 High Street\nTown\nAB1 2CD"
    contact_email = factory.Sequence(lambda n: f"group{n}@example.org")
    capacity = 2


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    group = factory.SubFactory(GroupFactory)


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    case = factory.SubFactory(CaseFactory)
    group = factory.SubFactory(GroupFactory)
    status = Allocation.Status.ACTIVE
    started_on = factory.LazyFunction(lambda: timezone.localdate())

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Rows made here pass the services, which keep the case's counters: recount them.
        if create:
            refresh_case_counters([instance.case_id])


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    allocation = factory.SubFactory(AllocationFactory)
    kind = Activity.Kind.APPEAL_LETTER
    date = factory.LazyFunction(lambda: timezone.localdate())
    count = 1
