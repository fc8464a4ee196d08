"""The scale data set's conversations: the group working on a case and the case's coordinator
write to each other a few times a year over the allocation's life, IAR staff now and then.

Busy groups write more. Each conversation's holder and coordinator have a read marker: most have
read everything, some have not read the latest one or two messages yet, so the unread counts on
My cases, the case page and the coordinators' pages run over real rows. The text is generic and
names nobody, and never the case: a confidential case's title is sealed, a message is not.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from random import Random

from django.utils import timezone

from accounts.models import User
from conversations.models import Message, ReadMarker
from coordinators.models import CountryCoordinator
from demo.scale_copy import CaseRow, Plan, next_id, write_rows

GROUP, COORDINATOR, STAFF = Message.Side.GROUP, Message.Side.COORDINATOR, Message.Side.STAFF

NO_CONVERSATION = 0.12  # share of allocations on which nobody has written yet
QUIET_RATE = (3.0, 7.0)  # messages a year on a quiet group's allocation, lowest and highest
BUSY_RATE = (8.0, 14.0)  # ... and on a busy group's
REPLY = 0.6  # chance that the next message comes from the other side
STAFF_SHARE = 0.05  # share of the messages IAR staff write
HOLDER_BEHIND = 0.2  # share of open conversations whose holder has not read the latest
COORDINATOR_BEHIND = 0.15  # ... and whose coordinator has not

BODIES = {
    GROUP: [
        "Our letters went out this week.",
        "We sent twelve appeal letters after our last meeting. Is the address still right?",
        "The petition reached 200 signatures at the market stall on Saturday.",
        "One of our letters came back unopened. Should we try the other address?",
        "The local paper would like to mention the case. Is that all right at the moment?",
        "We had a reply from the embassy acknowledging our letters.",
        "Is there any news on the case? We meet again next month.",
        "We are planning a vigil in the autumn. Any advice on what to say?",
        "Our solidarity cards were posted yesterday.",
        "Thank you for the update: we will pass it on at our next meeting.",
    ],
    COORDINATOR: [
        "Thank you - the family says the letters help.",
        "The address is still right: please keep writing.",
        "There is a hearing next month; letters to the ministry before then would help.",
        "Please hold off on media work for now: the lawyers have asked for quiet.",
        "Good news: the detention conditions have improved since the last letters.",
        "A new update is on the case page with the latest targets.",
        "Solidarity cards are welcome; please send them to the address on the case page.",
        "Thanks for the stall report - that is a great number of signatures.",
        "The embassy reply is encouraging. Keep the letters polite and regular.",
        "Nothing new this month, but your work is noticed.",
    ],
    STAFF: [
        "Just checking in: is everything all right with this case?",
        "A reminder that the yearly report is due soon.",
        "We have updated the guidance on appeal letters; it is on the help pages.",
        "Thank you for your work on this case over the year.",
    ],
}


def write_messages(plan: Plan, cases: list[CaseRow]) -> None:
    """A conversation on most allocations and the holders' and coordinators' read markers."""
    rng = plan.rng
    user_of = dict(CountryCoordinator.objects.values_list("pk", "user_id"))
    coordinator_of = {cid: user_of.get(coordinator or 0) for cid, *_, coordinator in cases}
    staff = list(
        User.objects.filter(is_staff=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Nothing is written after the moment the data set stands for (`today`, as late as now).
    cap = (
        plan.now
        if timezone.localdate(plan.now) == plan.today
        else timezone.make_aware(datetime.combine(plan.today, time(23, 59)))
    )
    first_message, first_marker = next_id(Message), next_id(ReadMarker)
    messages: list[tuple[int, int, int, str, str, datetime]] = []
    markers: list[tuple[int, int, int, datetime]] = []
    for aid, cid, gid, holder, started, ended, weight in plan.allocations:
        if rng.random() < NO_CONVERSATION:
            continue
        coordinator = coordinator_of.get(cid)
        last = ended or plan.today
        years = ((last - started).days + 1) / 365
        rate = rng.uniform(*(BUSY_RATE if weight > 1 else QUIET_RATE))
        n = max(1, int(rate * years + rng.random()))
        times = sorted(min(_moment(rng, started, last), cap) for _ in range(n))
        side = GROUP if coordinator is None or rng.random() < 0.6 else COORDINATOR
        thread: list[tuple[int, datetime]] = []  # (author, created_at)
        for i, created in enumerate(times):
            if i and coordinator is not None and rng.random() < REPLY:
                side = COORDINATOR if side == GROUP else GROUP
            writer = side
            if staff and rng.random() < STAFF_SHARE:
                writer = STAFF
            if writer == GROUP:
                people = plan.members[gid]
                # The holder writes most of the group's messages, the others now and then.
                author = holder if rng.random() < 0.6 else people[rng.randrange(len(people))]
            elif writer == COORDINATOR:
                assert coordinator is not None
                author = coordinator
            else:
                author = staff[rng.randrange(len(staff))]
            body = BODIES[writer][rng.randrange(len(BODIES[writer]))]
            messages.append((first_message + len(messages), aid, author, writer, body, created))
            thread.append((author, created))
        readers = [(holder, HOLDER_BEHIND)]
        if coordinator is not None and coordinator != holder:
            readers.append((coordinator, COORDINATOR_BEHIND))
        for reader, behind in readers:
            read_at = _read_at(rng, thread, reader, behind if ended is None else 0.0, cap)
            if read_at is not None:
                markers.append((first_marker + len(markers), aid, reader, read_at))
    plan.counts["messages"] = write_rows(
        Message, ["id", "allocation_id", "author_id", "side", "body", "created_at"], messages
    )
    plan.counts["read_markers"] = write_rows(
        ReadMarker, ["id", "allocation_id", "user_id", "read_at"], markers
    )


def _moment(rng: Random, first: date, last: date) -> datetime:
    day = first + timedelta(days=rng.randint(0, max((last - first).days, 0)))
    return timezone.make_aware(datetime.combine(day, time(rng.randint(7, 22), rng.randint(0, 59))))


def _read_at(
    rng: Random, thread: list[tuple[int, datetime]], reader: int, behind: float, cap: datetime
) -> datetime | None:
    """When `reader` last read the conversation: after its last message, or (with chance
    `behind`) before the latest one or two by others; None when they have never opened it."""
    if rng.random() < behind:
        k = rng.choice([1, 1, 2])
        # Writing is reading: only messages by others can be the unread ones.
        if all(author != reader for author, _ in thread[-k:]):
            if len(thread) <= k:
                return None  # only others have written, and the reader has not looked yet
            before, after = thread[-k - 1][1], thread[-k][1]
            return before + (after - before) / 2
    return min(thread[-1][1] + timedelta(minutes=rng.randint(5, 60 * 48)), cap)
