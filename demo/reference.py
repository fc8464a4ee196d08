"""The programme's reference data: Amnesty's world regions, the countries with cases, the themes.

The regions, countries and themes are real; rows already entered by hand are reused by natural key.
"""

from __future__ import annotations

from cases.models import Country, Region, Theme
from demo.base import SeederBase

# code, name
REGIONS = [
    ("africa", "Africa"),
    ("americas", "Americas"),
    ("asia-pacific", "Asia and the Pacific"),
    ("europe-central-asia", "Europe and Central Asia"),
    ("mena", "Middle East and North Africa"),
]

# iso, name, region code, capital, name pool
COUNTRIES = [
    ("BI", "Burundi", "africa", "Gitega", "central_africa"),
    ("CM", "Cameroon", "africa", "Yaoundé", "central_africa"),
    ("CD", "Democratic Republic of the Congo", "africa", "Kinshasa", "central_africa"),
    ("ER", "Eritrea", "africa", "Asmara", "horn"),
    ("ET", "Ethiopia", "africa", "Addis Ababa", "horn"),
    ("KE", "Kenya", "africa", "Nairobi", "east_africa"),
    ("NG", "Nigeria", "africa", "Abuja", "west_africa"),
    ("SD", "Sudan", "africa", "Port Sudan", "arabic"),
    ("UG", "Uganda", "africa", "Kampala", "east_africa"),
    ("ZW", "Zimbabwe", "africa", "Harare", "southern_africa"),
    ("BR", "Brazil", "americas", "Brasília", "brazil"),
    ("CO", "Colombia", "americas", "Bogotá", "latin"),
    ("CU", "Cuba", "americas", "Havana", "latin"),
    ("GT", "Guatemala", "americas", "Guatemala City", "latin"),
    ("HN", "Honduras", "americas", "Tegucigalpa", "latin"),
    ("MX", "Mexico", "americas", "Mexico City", "latin"),
    ("NI", "Nicaragua", "americas", "Managua", "latin"),
    ("US", "United States of America", "americas", "Washington DC", "us"),
    ("VE", "Venezuela", "americas", "Caracas", "latin"),
    ("BD", "Bangladesh", "asia-pacific", "Dhaka", "south_asia"),
    ("KH", "Cambodia", "asia-pacific", "Phnom Penh", "khmer"),
    ("CN", "China", "asia-pacific", "Beijing", "chinese"),
    ("IN", "India", "asia-pacific", "New Delhi", "south_asia"),
    ("MM", "Myanmar", "asia-pacific", "Nay Pyi Taw", "burmese"),
    ("PK", "Pakistan", "asia-pacific", "Islamabad", "south_asia"),
    ("PH", "Philippines", "asia-pacific", "Manila", "filipino"),
    ("LK", "Sri Lanka", "asia-pacific", "Colombo", "sinhala"),
    ("VN", "Viet Nam", "asia-pacific", "Hanoi", "vietnamese"),
    ("AZ", "Azerbaijan", "europe-central-asia", "Baku", "turkic"),
    ("BY", "Belarus", "europe-central-asia", "Minsk", "slavic"),
    ("KZ", "Kazakhstan", "europe-central-asia", "Astana", "central_asia"),
    ("RU", "Russia", "europe-central-asia", "Moscow", "slavic"),
    ("TJ", "Tajikistan", "europe-central-asia", "Dushanbe", "central_asia"),
    ("TR", "Türkiye", "europe-central-asia", "Ankara", "turkic"),
    ("TM", "Turkmenistan", "europe-central-asia", "Ashgabat", "central_asia"),
    ("UZ", "Uzbekistan", "europe-central-asia", "Tashkent", "central_asia"),
    ("DZ", "Algeria", "mena", "Algiers", "arabic"),
    ("BH", "Bahrain", "mena", "Manama", "arabic"),
    ("EG", "Egypt", "mena", "Cairo", "arabic"),
    ("IR", "Iran", "mena", "Tehran", "persian"),
    ("SA", "Saudi Arabia", "mena", "Riyadh", "arabic"),
    ("TN", "Tunisia", "mena", "Tunis", "arabic"),
    ("AE", "United Arab Emirates", "mena", "Abu Dhabi", "arabic"),
]

# slug, name, weight as a primary theme
THEMES = [
    ("prisoner-of-conscience", "Prisoner of conscience", 10),
    ("human-rights-defender", "Human rights defender", 10),
    ("forced-eviction", "Forced eviction", 4),
    ("womens-rights", "Women's rights", 6),
    ("freedom-of-expression", "Freedom of expression", 6),
    ("death-penalty", "Death penalty", 6),
    ("torture", "Torture and ill-treatment", 5),
    ("lgbti-rights", "LGBTI rights", 4),
    ("indigenous-peoples", "Indigenous peoples' rights", 4),
    ("refugees-and-migrants", "Refugees and migrants", 3),
    ("enforced-disappearance", "Enforced disappearance", 5),
    ("unfair-trial", "Unfair trial", 5),
    ("freedom-of-assembly", "Freedom of assembly", 4),
    ("journalists", "Journalists", 5),
    ("environmental-defenders", "Environmental defenders", 4),
    ("trade-unionists", "Trade unionists", 3),
]

# Which themes go well together as secondary themes.
RELATED_THEMES = {
    "prisoner-of-conscience": ["unfair-trial", "freedom-of-expression", "torture"],
    "human-rights-defender": ["freedom-of-expression", "unfair-trial", "prisoner-of-conscience"],
    "forced-eviction": ["indigenous-peoples", "human-rights-defender", "womens-rights"],
    "womens-rights": ["human-rights-defender", "prisoner-of-conscience", "unfair-trial"],
    "freedom-of-expression": ["journalists", "prisoner-of-conscience", "unfair-trial"],
    "death-penalty": ["unfair-trial", "torture"],
    "torture": ["unfair-trial", "enforced-disappearance"],
    "lgbti-rights": ["human-rights-defender", "freedom-of-assembly", "torture"],
    "indigenous-peoples": ["environmental-defenders", "forced-eviction", "human-rights-defender"],
    "refugees-and-migrants": ["torture", "womens-rights"],
    "enforced-disappearance": ["human-rights-defender", "torture"],
    "unfair-trial": ["prisoner-of-conscience", "torture", "death-penalty"],
    "freedom-of-assembly": ["prisoner-of-conscience", "torture", "unfair-trial"],
    "journalists": ["freedom-of-expression", "prisoner-of-conscience", "unfair-trial"],
    "environmental-defenders": ["human-rights-defender", "indigenous-peoples"],
    "trade-unionists": ["freedom-of-assembly", "prisoner-of-conscience", "unfair-trial"],
}


class ReferenceSteps(SeederBase):
    def reference_data(self) -> None:
        # Reference rows may already exist (entered by hand): reuse them by natural key.
        have = set(Region.objects.values_list("code", flat=True))
        self.bulk(Region, [Region(code=c, name=n) for c, n in REGIONS if c not in have])
        self.regions = {r.code: r for r in Region.objects.all()}
        have = set(Country.objects.values_list("iso_code", flat=True))
        self.bulk(
            Country,
            [
                Country(iso_code=iso, name=name, region=self.regions[region])
                for iso, name, region, _capital, _pool in COUNTRIES
                if iso not in have
            ],
        )
        by_iso = {c.iso_code: c for c in Country.objects.all()}
        self.countries = [by_iso[row[0]] for row in COUNTRIES]
        self.country_info = {row[0]: row for row in COUNTRIES}
        have = set(Theme.objects.values_list("slug", flat=True))
        self.bulk(Theme, [Theme(slug=s, name=n) for s, n, _w in THEMES if s not in have])
        self.themes = {t.slug: t for t in Theme.objects.filter(slug__in=[t[0] for t in THEMES])}
