"""What the case services share: the app's one error, links, locks and the IAR mailbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from accounts.access import manages
from iar_site.fields import SealedMixin
from notifications import outbox
from notifications.services import notify_group, notify_user

from ..models import Allocation, Case

if TYPE_CHECKING:
    from accounts.models import User


class CaseError(Exception):
    """A user-safe reason a case or allocation action cannot be done."""


def iar_email() -> str:
    return getattr(settings, "IAR_EMAIL", "iar@amnesty.org.uk")


def case_url(case: Case) -> str:
    """The group's page for the case: the one case page a member has."""
    return settings.SITE_URL + reverse("groups:case", args=[case.reference])


def coordinator_case_url(case: Case) -> str:
    """The case in its coordinator's workspace."""
    return settings.SITE_URL + reverse("coordinators:case", args=[case.reference])


def staff_case_url(case: Case) -> str:
    """The case on IAR's staff pages."""
    return settings.SITE_URL + reverse("staff:case", args=[case.reference])


def group_url(case: Case, name: str) -> str:
    return settings.SITE_URL + reverse(name, args=[case.reference])


def notify_iar(*, key: str, template: str, context: dict[str, Any], case: Case | None) -> None:
    if case is not None and "case_url" in context:
        # IAR opens the case on its own pages, not a group's.
        context = {**context, "case_url": staff_case_url(case)}
    outbox.queue_message(
        key=f"{key}:iar",
        template=template,
        to_email=iar_email(),
        to_name="IAR programme",
        context=context,
        case=case,
    )


def lock_case(case: Case, *, lock: bool = True) -> Case:
    qs = Case.objects.select_related("coordinator__user")
    if lock:
        # Only the case row: the coordinator join is nullable, which PostgreSQL cannot lock.
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=case.pk)


def lock_allocation(allocation: Allocation) -> Allocation:
    # The case row first, then the allocation, in the order `stop_case` takes them: two changes
    # to one case wait for each other instead of deadlocking, and the one that waited reads the
    # other's rows when it recounts the case's counters (cases.counts.refresh_case_counters).
    list(Case.objects.select_for_update().filter(pk=allocation.case_id).values_list("pk"))
    return (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("case", "group", "holder", "case__coordinator__user")
        .get(pk=allocation.pk)
    )


def case_context(case: Case) -> dict[str, Any]:
    # A reference, the case's name and a link; never the narrative of a sensitive case. A message
    # is for nobody in particular (it is stored, forwarded, printed), so a confidential case's
    # title, often the person's name, is left out: the reference and the link only.
    return {
        "reference": case.reference,
        "case_title": case.title if case.may_be_named_to(None) else "",
        "case_url": case_url(case),
    }


def require_manager(case: Case, actor: User) -> None:
    if not manages(actor, case):
        raise CaseError("Only the case's country coordinator or IAR staff can do this.")


def tell_group_and_coordinator(
    allocation: Allocation, *, key: str, template: str, context: dict[str, Any]
) -> None:
    """The same notice to the group (by its channel, to its holder) and to the case's
    coordinator, whose copy links to their workspace."""
    case = allocation.case
    notify_group(
        allocation.group,
        key=key,
        template=template,
        context=context,
        case=case,
        holder=allocation.holder,
    )
    if case.coordinator is not None:
        notify_user(
            case.coordinator.user,
            key=key,
            template=template,
            context={**context, "case_url": coordinator_case_url(case)},
            case=case,
        )


def reseal_private_fields(case: Case) -> None:
    """Write the case's sealed fields and its people's names again, so they are stored as its
    sensitivity now says: sealed when confidential, plain otherwise. Called in the transaction
    that changes the sensitivity."""
    # The model says which fields are sealed: no list here to fall out of step with it.
    sealed = [f.name for f in Case._meta.concrete_fields if isinstance(f, SealedMixin)]
    case.save(update_fields=sealed)
    for person in case.people.all():
        person.case = case
        person.save(update_fields=["name"])
