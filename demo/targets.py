"""What a demo case asks for and where: its campaign targets (current and retired office-holders,
all invented), the suggested letter, and its casefile documents."""

from __future__ import annotations

from datetime import timedelta

from cases.models import CampaignTarget, Case, CasefileDocument
from demo.base import CaseSpec
from demo.people import PeopleSteps
from demo.places import OFFICIAL_STREETS

# key: authority, office (for the address), salutation, email local part, email ministry
AUTHORITIES = {
    "president": (
        "President of the Republic",
        "Office of the President",
        "Your Excellency",
        "president",
        "presidency",
    ),
    "justice": (
        "Minister of Justice",
        "Ministry of Justice",
        "Dear Minister",
        "minister",
        "justice",
    ),
    "interior": (
        "Minister of the Interior",
        "Ministry of the Interior",
        "Dear Minister",
        "minister",
        "interior",
    ),
    "prosecutor": (
        "Prosecutor General",
        "Office of the Prosecutor General",
        "Dear Prosecutor General",
        "prosecutor.general",
        "prosecution",
    ),
    "attorney": (
        "Attorney General",
        "Office of the Attorney General",
        "Dear Attorney General",
        "ag",
        "justice",
    ),
    "housing": (
        "Minister of Housing and Urban Development",
        "Ministry of Housing",
        "Dear Minister",
        "minister",
        "housing",
    ),
    "environment": (
        "Minister of Environment",
        "Ministry of Environment",
        "Dear Minister",
        "minister",
        "environment",
    ),
    "labour": ("Minister of Labour", "Ministry of Labour", "Dear Minister", "minister", "labour"),
    "police": (
        "Inspector General of Police",
        "National Police Headquarters",
        "Dear Inspector General",
        "igp",
        "police",
    ),
    "human_rights": (
        "National Human Rights Commission",
        "National Human Rights Commission",
        "Dear Commissioners",
        "info",
        "nhrc",
    ),
    "governor": ("State Governor", "Office of the Governor", "Dear Governor", "governor", "state"),
    "pardons": (
        "Board of Pardons and Paroles",
        "Board of Pardons and Paroles",
        "Dear Board Members",
        "clemency",
        "pardons",
    ),
    "judiciary": (
        "Head of the Judiciary",
        "Office of the Head of the Judiciary",
        "Your Excellency",
        "office",
        "judiciary",
    ),
    "king": ("Head of State", "Royal Court", "Your Majesty", "diwan", "royalcourt"),
}
THEME_AUTHORITIES = {
    "prisoner-of-conscience": ["justice", "president", "prosecutor"],
    "human-rights-defender": ["justice", "prosecutor", "human_rights"],
    "forced-eviction": ["housing", "president", "human_rights"],
    "womens-rights": ["justice", "interior", "human_rights"],
    "freedom-of-expression": ["justice", "prosecutor", "interior"],
    "death-penalty": ["president", "justice"],
    "torture": ["prosecutor", "interior", "human_rights"],
    "lgbti-rights": ["justice", "interior", "police"],
    "indigenous-peoples": ["environment", "president", "human_rights"],
    "refugees-and-migrants": ["interior", "justice"],
    "enforced-disappearance": ["interior", "prosecutor", "president"],
    "unfair-trial": ["justice", "prosecutor"],
    "freedom-of-assembly": ["interior", "police", "justice"],
    "journalists": ["justice", "interior", "prosecutor"],
    "environmental-defenders": ["environment", "police", "prosecutor"],
    "trade-unionists": ["labour", "justice", "interior"],
}
COUNTRY_AUTHORITIES = {
    "US": ["governor", "attorney", "pardons"],
    "IR": ["judiciary", "prosecutor", "interior"],
    "SA": ["king", "justice", "human_rights"],
    "BH": ["king", "justice", "interior"],
    "AE": ["president", "justice"],
}


class TargetSteps(PeopleSteps):
    def official(self, spec: CaseSpec, key: str) -> tuple[str, str, str, str, str]:
        authority, office, salutation, local, ministry = AUTHORITIES[key]
        iso = spec.country.iso_code
        if key in ("king", "human_rights", "pardons"):
            title = ""
        else:
            # An official never shares a family name with the people the case is about.
            family = {word for person in spec.people for word in person[0].split()[-1:]}
            for _attempt in range(20):
                gender = self.rng.choice(["female", "male"])
                name = self.foreign_name(spec.pool, gender)
                if not family & set(name.split()[-1:]):
                    break
            if iso == "US":
                title = f"{'Governor' if key == 'governor' else 'Hon.'} {name}"
            elif key in ("president", "justice", "interior", "housing", "environment", "labour"):
                title = f"H.E. {name}"
            else:
                title = f"{'Ms' if gender == 'female' else 'Mr'} {name}"
        domain = "state-gov.example" if iso == "US" else f"gov-{iso.lower()}.example"
        # The address holds only the lines below the name and the authority, which are fields of
        # their own; an office named like the authority (a commission, a board) is not repeated.
        address_lines = [
            office if office != authority else "",
            f"{self.rng.randint(1, 120)} {self.rng.choice(OFFICIAL_STREETS)}",
            spec.capital,
            spec.country.name,
        ]
        address = "\n".join(line for line in address_lines if line)
        return authority, title, address, f"{local}@{ministry}.{domain}", salutation

    def plan_targets_and_documents(self, spec: CaseSpec) -> None:
        case = spec.obj
        keys = COUNTRY_AUTHORITIES.get(spec.country.iso_code) or THEME_AUTHORITIES[spec.themes[0]]
        keys = self.rng.sample(keys, 1 if self.rng.random() < 0.6 else min(2, len(keys)))
        end = spec.closed_on or self.yesterday
        changed_on = None
        reshuffled = self.rng.random() < 0.3
        if reshuffled and spec.status != Case.Status.DRAFT and (end - spec.opened_on).days > 200:
            changed_on = self.between(spec.opened_on + timedelta(days=90), end - timedelta(days=30))
        for position, key in enumerate(keys):
            authority, title, address, email, salutation = self.official(spec, key)
            target = CampaignTarget(
                case=case,
                authority=authority,
                title=title,
                postal_address=address,
                email=email,
                salutation=salutation,
                valid_from=spec.opened_on,
                created_by=self.staff,
            )
            if changed_on and position == 0:
                # A reshuffle: the old office-holder is retired and the new one replaces them.
                old_authority, old_title, old_address, old_email, _s = self.official(spec, key)
                old = CampaignTarget(
                    case=case,
                    authority=old_authority,
                    title=old_title,
                    postal_address=old_address,
                    email=old_email,
                    salutation=salutation,
                    valid_from=spec.opened_on,
                    valid_to=changed_on,
                    created_by=self.staff,
                )
                self.old_targets.append(old)
                target.replaces = old
                target.valid_from = changed_on
            self.current_targets.append(target)
        # The body only: each letter adds its target's salutation and the sign-off.
        case.suggested_letter = (
            "I am writing as a supporter of Amnesty International in the United Kingdom "
            f"to express my concern for {spec.about}. {spec.now}\n\n"
            f"I respectfully urge you to {spec.ask}."
        )
        if spec.status == Case.Status.DRAFT and self.rng.random() < 0.5:
            return  # a draft whose casefile is still being written
        # A document's title is plain text, never sealed: a confidential case's carries no name.
        title = f"Casefile {case.reference}"
        if case.sensitivity != Case.Sensitivity.CONFIDENTIAL:
            title = f"{title}: {case.title}"
        self.documents.append(
            CasefileDocument(
                case=case,
                version=1,
                title=title,
                notes="First issue of the casefile.",
                uploaded_by=self.staff,
                uploaded_at=self.at(spec.opened_on),
            )
        )
        revised = changed_on or (self.rng.random() < 0.2 and (end - spec.opened_on).days > 90)
        if spec.status != Case.Status.DRAFT and revised:
            on = changed_on or self.between(spec.opened_on + timedelta(days=60), end)
            self.documents.append(
                CasefileDocument(
                    case=case,
                    version=2,
                    title=title,
                    notes=(
                        "Updated with the new campaign target."
                        if changed_on
                        else "Updated after new information from the researcher."
                    ),
                    uploaded_by=self.staff,
                    uploaded_at=self.at(on),
                )
            )
