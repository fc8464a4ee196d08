"""Urgent Actions (open and closed, one with a follow-up), groups' sign-ups and region work, this
month's mailing and the quarter's magazine, one-off actions, what the demo groups sent, and their
next meeting dates: what each demo login finds under "Urgent Actions and meetings".

Uses no random numbers: the seed's shared stream stays as it was for every step before. Rows are
written directly, as the rest of the seed does; no notice is sent about them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from actions.models import (
    ActionBundle,
    ActionRecord,
    ActionTarget,
    OneOffAction,
    OneOffAttachment,
    RegionBulletin,
    RegionSubscription,
    UADelivery,
    UASubscription,
    UrgentAction,
)
from cases.models import Case
from demo.base import SeederBase

# (country ISO, title, what happened, days since issue, days to deadline, themes). Fictional.
URGENT_ACTIONS = [
    (
        "KE",
        "Land defenders held without charge",
        "Three community leaders who opposed a forced eviction were arrested at a public meeting "
        "and are held without charge. Their families have not been allowed to see them.",
        6,
        24,
        ["human-rights-defender", "forced-eviction"],
    ),
    (
        "CO",
        "Threats against a women's rights lawyer",
        "A lawyer representing survivors of violence has received death threats after a court "
        "hearing. She has asked for protection and has had no answer.",
        3,
        28,
        ["womens-rights", "human-rights-defender"],
    ),
    (
        "BR",
        "Journalist charged for reporting on a protest",
        "A local journalist faces criminal defamation charges for reporting on police violence "
        "at a protest. The first hearing is set for next month.",
        1,
        33,
        ["freedom-of-expression"],
    ),
    (
        "ET",
        "Student disappeared after arrest",
        "A student was taken from his home at night. The authorities deny holding him.",
        70,
        -35,
        ["enforced-disappearance"],
    ),
]
LETTER = (
    "Your Excellency,\n\nI am writing to express my concern about {title}. I urge you to "
    "ensure their safety, to release anyone held solely for peacefully exercising their "
    "rights, and to allow them access to their families and lawyers of their choosing.\n\n"
    "Thank you for your attention."
)


def _target(country_name: str, capital: str) -> dict[str, str]:
    return {
        "name": "Minister of Justice",
        "title": "Office of the Minister",
        "address_line_1": "Ministry of Justice",
        "address_line_2": "1 Independence Avenue",
        "town": capital,
        "country_name": country_name,
        "salutation": "Dear Minister",
    }


class ActionSteps(SeederBase):
    def urgent_actions(self) -> None:
        """UAs with their targets, sign-ups and deliveries; bundles; one-off actions; records."""
        today = self.today
        now = timezone.now()
        by_iso = {c.iso_code: c for c in self.countries}
        groups = self.group_objs
        home_region = self.coordinator_countries[0].region

        # Who signed up: the holder's group for every UA, the member's group for the
        # coordinator's region, and every third group for every UA.
        subscriptions = [
            UASubscription(group=g, all_actions=(i == 0 or (i % 3 == 0)))
            for i, g in enumerate(groups)
            if i in (0, 1) or i % 3 == 0
        ]
        self.bulk(UASubscription, subscriptions)
        member_sub = next(s for s in subscriptions if s.group_id == groups[1].pk)
        member_sub.regions.set([home_region])
        self.bulk(
            RegionSubscription,
            [RegionSubscription(group=g, region=home_region) for g in groups[:2]],
        )
        all_groups = {s.group_id for s in subscriptions if s.all_actions}

        uas: list[UrgentAction] = []
        for number, (iso, title, summary, ago, left, themes) in enumerate(URGENT_ACTIONS, 101):
            country = by_iso[iso]
            issued = today - timedelta(days=ago)
            deadline = today + timedelta(days=left)
            closed = deadline < today
            ua = UrgentAction(
                reference=f"UA {number}/{issued:%y}",
                title=title,
                country=country,
                issued_on=issued,
                deadline=deadline,
                summary=summary,
                suggested_letter=LETTER.format(title=title.lower()),
                language_notes="Write in English, or in the country's language if you can.",
                status=UrgentAction.Status.CLOSED if closed else UrgentAction.Status.PUBLISHED,
                published_at=now - timedelta(days=ago),
                closed_at=now - timedelta(days=-left) if closed else None,
                created_by=self.staff,
            )
            ua.save()
            ua.themes.set([self.themes[t] for t in themes if t in self.themes])
            uas.append(ua)
        # A further-information follow-up to the first, reaching exactly its groups.
        first = uas[0]
        follow_up = UrgentAction.objects.create(
            reference=first.reference,
            title=first.title,
            country=first.country,
            issued_on=today - timedelta(days=2),
            deadline=first.deadline,
            summary="Two of the three were released on bail. The third is still held and has "
            "been moved to a prison far from his family. Please keep writing for him.",
            suggested_letter=first.suggested_letter,
            status=UrgentAction.Status.PUBLISHED,
            published_at=now - timedelta(days=2),
            follow_up_of=first,
            follow_up_kind=UrgentAction.FollowUpKind.FURTHER_INFORMATION,
            created_by=self.staff,
        )
        uas.append(follow_up)
        self.created["urgent actions"] += len(uas)
        targets = []
        for ua in uas:
            info = self.country_info[ua.country.iso_code]
            targets.append(ActionTarget(urgent_action=ua, **_target(ua.country.name, info[3])))
        self.bulk(ActionTarget, targets)

        deliveries = []
        for ua in uas:
            source = ua.follow_up_of or ua
            reached = set(all_groups)
            if source.country.region_id == home_region.pk:
                reached.add(groups[1].pk)
            deliveries += [UADelivery(urgent_action=ua, group_id=g) for g in sorted(reached)]
        self.bulk(UADelivery, deliveries)

        self._one_offs_and_bundles(uas, home_region)

    def _one_offs_and_bundles(self, uas: list[UrgentAction], home_region) -> None:
        today = self.today
        now = timezone.now()
        groups = self.group_objs
        country = self.coordinator_countries[0]
        info = self.country_info[country.iso_code]
        letter = OneOffAction.objects.create(
            kind=OneOffAction.Kind.LETTER,
            title="Letters for detained trade unionists",
            country=country,
            deadline=today + timedelta(days=40),
            created_by=self.staff,
            text="Write to the Minister of Justice asking for the trade unionists' release. "
            "Mention that they were arrested for organising a peaceful strike.",
        )
        email = OneOffAction.objects.create(
            kind=OneOffAction.Kind.EMAIL,
            title="Email the embassy about the eviction",
            country=country,
            deadline=today + timedelta(days=21),
            created_by=self.staff,
            text="Send a short, polite email to the embassy asking that the families are "
            "rehoused before any further demolitions.",
        )
        card = OneOffAction.objects.create(
            kind=OneOffAction.Kind.CARD,
            title="Cards of solidarity for the season",
            country=country,
            deadline=today + timedelta(days=45),
            created_by=self.staff,
            text="Send a simple card with a message of hope. Do not mention the case or "
            "politics: sign with your first name and your group's town.",
        )
        self.created["one-off actions"] += 3
        self.bulk(
            ActionTarget,
            [ActionTarget(one_off=o, **_target(country.name, info[3])) for o in (letter, email)],
        )
        # The demo groups asked IAR for cases before their meeting and were given these instead.
        self.bulk(
            OneOffAttachment,
            [OneOffAttachment(one_off=o, group=g) for o in (email, card) for g in groups[:2]],
        )

        open_uas = [ua for ua in uas if ua.status == UrgentAction.Status.PUBLISHED]
        mailing = ActionBundle.objects.create(
            kind=ActionBundle.Kind.MAILING,
            title=f"{today:%B %Y} mailing",
            introduction="This month: a letter-writing action and two Urgent Actions.",
            status=ActionBundle.Status.PUBLISHED,
            published_at=now - timedelta(days=3),
        )
        mailing.one_offs.set([letter])
        mailing.urgent_actions.set(open_uas[1:3])
        quarter = (today.month - 1) // 3 + 1
        magazine = ActionBundle.objects.create(
            kind=ActionBundle.Kind.MAGAZINE,
            title=f"Magazine, quarter {quarter} {today:%Y}",
            introduction="Cases and actions for the quarter.",
            status=ActionBundle.Status.PUBLISHED,
            published_at=now - timedelta(days=20),
        )
        open_cases = [s.obj for s in self.specs if s.obj.status == Case.Status.OPEN][:9]
        magazine.cases.set(open_cases)
        magazine.one_offs.set([letter])
        self.created["action bundles"] += 2

        RegionBulletin.objects.create(
            region=home_region,
            title="Elections expected: please write now",
            body="Elections are expected in the spring and arrests of activists usually rise "
            "before them. Letters sent now show the authorities that the world is watching.",
            posted_by=self.coordinator_user,
            posted_at=now - timedelta(days=4),
        )
        self.created["region bulletins"] += 1

        # The two demo groups meet soon; what they sent is in their log.
        for group, days in ((groups[0], 12), (groups[1], 19)):
            group.next_meeting = today + timedelta(days=days)
            group.save(update_fields=["next_meeting"])
        self.bulk(
            ActionRecord,
            [
                ActionRecord(
                    group=groups[0],
                    urgent_action=uas[0],
                    count=9,
                    date=self.yesterday,
                    recorded_by=self.holder,
                ),
                ActionRecord(
                    group=groups[1],
                    bundle=mailing,
                    count=6,
                    date=self.yesterday,
                    recorded_by=self.member,
                ),
            ],
        )
