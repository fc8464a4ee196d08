"""The words of a demo case: its title, the people it is about and its summary, written from one
template per theme.

Every person, place and event is invented; each summary says the case is fictional.
"""

from __future__ import annotations

from typing import TypedDict

from cases.models import Case, Gender
from demo.base import CaseSpec
from demo.people import PeopleSteps
from demo.places import PLACES


class ThemeText(TypedDict):
    roles: list[str]
    group: str
    community: str
    event: str
    now: str
    ask: str


# Per theme: roles of an individual, a label for a group of people, a label for a community,
# the event (past tense, any subject), what is happening now, and what letters ask for.
# Placeholders: {S} subject, {was}/{is}/{has}/{remain} agree with it, {they}/{They}/{them}/{their}
# the pronoun, and {p_was}/{p_is}/{p_has}/{p_remain} agree with the pronoun (singular they).
THEME_TEXT: dict[str, ThemeText] = {
    "prisoner-of-conscience": {
        "roles": ["teacher", "student leader", "poet", "opposition activist", "imam", "blogger"],
        "group": "peaceful activists",
        "community": "religious minority community",
        "event": "{S} {was} arrested in {year} after speaking at a peaceful public meeting.",
        "now": "{They} {p_remain} in prison on charges that Amnesty considers politically motivated.",
        "ask": "release {them} immediately and unconditionally",
    },
    "human-rights-defender": {
        "roles": ["human rights lawyer", "community organiser", "paralegal", "NGO director"],
        "group": "staff of a human rights organisation",
        "community": "community monitoring network",
        "event": "{S} {has} faced threats and surveillance since {year} because of {their} work documenting abuses.",
        "now": "A criminal case opened against {them} is still pending and could lead to a long prison term.",
        "ask": "drop all charges against {them} and let {them} carry out {their} work without fear",
    },
    "forced-eviction": {
        "roles": ["community leader", "market trader", "housing campaigner", "farmer"],
        "group": "residents' committee members",
        "community": "informal settlement",
        "event": "{S} {was} served with eviction notices in {year} to make way for a commercial development.",
        "now": "No genuine consultation or adequate alternative housing has been offered, and demolitions have begun.",
        "ask": "halt the evictions until genuine consultation has taken place and adequate housing is offered",
    },
    "womens-rights": {
        "roles": ["women's rights activist", "midwife", "lawyer", "student"],
        "group": "members of a women's rights collective",
        "community": "women's cooperative",
        "event": "{S} {was} detained in {year} after campaigning against discriminatory laws.",
        "now": "{They} {p_has} been denied access to a lawyer of {their} choice.",
        "ask": "release {them} and repeal laws that discriminate against women",
    },
    "freedom-of-expression": {
        "roles": ["blogger", "cartoonist", "satirist", "academic", "musician"],
        "group": "administrators of a news page",
        "community": "minority-language community",
        "event": "{S} {was} charged in {year} over online posts criticising the authorities.",
        "now": "{They} could face up to ten years in prison if convicted.",
        "ask": "drop the charges, which punish nothing but peaceful expression",
    },
    "death-penalty": {
        "roles": ["labourer", "domestic worker", "driver", "student"],
        "group": "men sentenced together after a single trial",
        "community": "death-row families' association",
        "event": "{S} {was} sentenced to death in {year} after a trial that relied on a forced confession.",
        "now": "All appeals have been rejected and {they} {p_is} at risk of execution.",
        "ask": "halt any execution plans, quash the death sentence and order a fair retrial",
    },
    "torture": {
        "roles": ["shopkeeper", "student", "mechanic", "nurse"],
        "group": "detainees held in the same facility",
        "community": "detainees' families association",
        "event": "{S} {was} arrested in {year}; {they} {p_has} said {they} {p_was} beaten in custody to force a confession.",
        "now": "No independent investigation into the allegations has taken place.",
        "ask": "order a prompt, independent investigation into the torture allegations",
    },
    "lgbti-rights": {
        "roles": ["LGBTI activist", "health worker", "artist", "student"],
        "group": "organisers of a Pride event",
        "community": "LGBTI support group",
        "event": "{S} {was} arrested in {year} under laws that criminalise same-sex relationships.",
        "now": "{They} {p_has} faced harassment in detention and {their} trial keeps being postponed.",
        "ask": "release {them} and stop prosecuting people for who they are or whom they love",
    },
    "indigenous-peoples": {
        "roles": ["indigenous leader", "land defender", "elder", "radio presenter"],
        "group": "indigenous land defenders",
        "community": "indigenous community",
        "event": "{S} {has} defended ancestral land against a mining concession granted in {year}.",
        "now": "Community members have received death threats and no one has been held to account.",
        "ask": "protect the community and respect its right to free, prior and informed consent",
    },
    "refugees-and-migrants": {
        "roles": ["asylum seeker", "refugee teacher", "migrant worker"],
        "group": "asylum seekers held together",
        "community": "refugee camp community",
        "event": "{S} {was} detained in {year} while seeking protection and {is} threatened with deportation.",
        "now": "{They} would face serious harm if returned.",
        "ask": "stop the deportation and give {them} access to a fair asylum procedure",
    },
    "enforced-disappearance": {
        "roles": ["student", "trade unionist", "human rights defender", "farmer"],
        "group": "young men taken in the same raid",
        "community": "disappeared persons' families association",
        "event": "{S} {was} last seen in {year} being taken away by men in plain clothes.",
        "now": "The authorities deny holding {them} and {their} relatives still do not know where {they} {p_is}.",
        "ask": "reveal {their} fate and whereabouts and bring those responsible to justice",
    },
    "unfair-trial": {
        "roles": ["businessman", "student", "former civil servant", "teacher"],
        "group": "defendants in a mass trial",
        "community": "defendants' families association",
        "event": "{S} {was} convicted in {year} after a trial in which defence lawyers could not see the evidence.",
        "now": "An appeal has been pending for years.",
        "ask": "quash the conviction and order a retrial that meets international standards",
    },
    "freedom-of-assembly": {
        "roles": ["student protester", "protest organiser", "youth activist"],
        "group": "peaceful protesters",
        "community": "neighbourhood association",
        "event": "{S} {was} arrested in {year} during a peaceful protest against rising prices.",
        "now": "{They} {p_is} charged with public order offences that carry long prison terms.",
        "ask": "release {them} and respect the right to peaceful protest",
    },
    "journalists": {
        "roles": ["journalist", "photojournalist", "editor", "radio reporter"],
        "group": "journalists at an independent newspaper",
        "community": "community radio collective",
        "event": "{S} {was} detained in {year} after reporting on corruption.",
        "now": "{They} {p_is} held on vague anti-state charges that punish {them} for {their} journalism.",
        "ask": "release {them} and let journalists report without fear",
    },
    "environmental-defenders": {
        "roles": ["environmental activist", "fisher", "forest ranger", "farmer"],
        "group": "members of an environmental collective",
        "community": "fishing community",
        "event": "{S} {has} campaigned since {year} against pollution from a nearby industrial site.",
        "now": "{They} {p_has} been threatened and criminalised rather than protected.",
        "ask": "protect {them} and investigate the threats against {them}",
    },
    "trade-unionists": {
        "roles": ["trade unionist", "factory worker", "union organiser", "dock worker"],
        "group": "union leaders",
        "community": "garment workers' community",
        "event": "{S} {was} arrested in {year} after organising a strike over unpaid wages.",
        "now": "{They} {p_remain} in detention and {their} union has been suspended.",
        "ask": "release {them} and respect the right to form and join trade unions",
    },
}
NUMBER_WORDS = {
    2: "Two",
    3: "Three",
    4: "Four",
    5: "Five",
    6: "Six",
    7: "Seven",
    8: "Eight",
    9: "Nine",
    10: "Ten",
    11: "Eleven",
    12: "Twelve",
}
COMMUNITY_ROLES = ["community leader", "spokesperson", "elder", "youth representative"]

# Verbs that agree with the subject of a summary, and the pronouns for it.
SINGULAR = {"was": "was", "is": "is", "has": "has", "remain": "remains"}
PLURAL = {"was": "were", "is": "are", "has": "have", "remain": "remain"}
PRONOUNS = {
    "female": {"they": "she", "them": "her", "their": "her"},
    "male": {"they": "he", "them": "him", "their": "his"},
    "plural": {"they": "they", "them": "them", "their": "their"},
}


def article(word: str) -> str:
    return "an" if word[0].lower() in "aeio" or word.startswith(("NGO", "LGBTI")) else "a"


class CaseTextSteps(PeopleSteps):
    def case_text(self, spec: CaseSpec) -> tuple[str, str, str]:
        text = THEME_TEXT[spec.themes[0]]
        roles = text["roles"]
        year = spec.opened_on.year - self.rng.randint(0, 2)
        solidarity = ""
        if spec.kind == Case.Kind.INDIVIDUAL:
            gender = self.rng.choices(Gender.values, [45, 48, 3, 4])[0]
            name = self.foreign_name(spec.pool, gender)
            role = self.rng.choice(roles)
            spec.people = [(name, gender, role)]
            title = name
            subject = f"{name}, {article(role)} {role},"
            verbs = SINGULAR
            pronoun_key = gender if gender in ("female", "male") else "plural"
            about = name
            if spec.status != Case.Status.DRAFT and self.rng.random() < 0.5:
                solidarity = (
                    f"{name}\nc/o the family's lawyer\nPO Box {self.rng.randint(100, 9999)}\n"
                    f"{spec.capital}\n{spec.country.name}"
                )
        elif spec.kind == Case.Kind.GROUP:
            size = self.rng.randint(3, 9)
            place = self.rng.choice(PLACES)
            label = text["group"]
            for _ in range(size):
                gender = self.rng.choice([Gender.FEMALE, Gender.MALE])
                spec.people.append(
                    (self.foreign_name(spec.pool, gender), gender, self.rng.choice(roles))
                )
            word = NUMBER_WORDS[size]
            title = f"The {place} {word}"
            subject = f"{word} {label}, known as the {place} {word},"
            verbs = PLURAL
            pronoun_key = "plural"
            about = f"the {word.lower()} {label} known as the {place} {word}"
        else:
            place = self.rng.choice(PLACES)
            label = text["community"]
            for _ in range(self.rng.randint(1, 3)):
                gender = self.rng.choice([Gender.FEMALE, Gender.MALE])
                spec.people.append(
                    (
                        self.foreign_name(spec.pool, gender),
                        gender,
                        self.rng.choice(COMMUNITY_ROLES),
                    )
                )
            title = f"{place} {label}"
            subject = f"Members of the {place} {label}"
            verbs = PLURAL
            pronoun_key = "plural"
            about = f"members of the {place} {label}"
        pronouns = PRONOUNS[pronoun_key]
        pronoun_verbs = {
            f"p_{k}": v for k, v in (PLURAL if pronoun_key == "plural" else SINGULAR).items()
        }
        words = {
            "S": subject,
            "year": year,
            "They": pronouns["they"].capitalize(),
            **verbs,
            **pronouns,
            **pronoun_verbs,
        }
        event = str(text["event"]).format(**words)
        now = str(text["now"]).format(**words)
        ask = str(text["ask"]).format(**words)
        summary = (
            f"{event} {now} This case and everyone in it are fictional, for demonstration only."
        )
        spec.about, spec.now, spec.ask = about, now, ask
        return title, summary, solidarity
