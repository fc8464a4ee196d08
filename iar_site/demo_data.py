"""Fixed, fictional material for `manage.py seed_demo`.

Countries, regions, themes and UK towns are real; every person, case, official, street address,
postcode and email address is invented. Emails use reserved `.example` domains and telephone
numbers come from Ofcom's ranges kept for drama, so nothing here can reach a real person.
"""

from __future__ import annotations

PASSWORD = "iar-demo-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
SENTINEL_ACTION = "demo.seeded"

# email, full name, what the login shows.
STAFF_LOGIN = ("staff@demo.example", "Sam Patel", "IAR programme staff (superuser, TOTP)")
COORDINATOR_LOGIN = ("coordinator@demo.example", "Ruth Adeyemi", "country coordinator (TOTP)")
HOLDER_LOGIN = ("holder@demo.example", "Tom Bennett", "casefile holder in a local group")
MEMBER_LOGIN = ("member@demo.example", "Alice Morgan", "member of another local group")

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

# Invented combinations of common given names and family names.
NAME_POOLS: dict[str, dict[str, list[str]]] = {
    "central_africa": {
        "female": ["Claudine", "Espérance", "Nadège", "Aline", "Grâce", "Josiane"],
        "male": ["Jean-Claude", "Pacifique", "Emmanuel", "Hervé", "Désiré", "Patrick"],
        "last": ["Ndayishimiye", "Mbala", "Nkoulou", "Kabongo", "Tshibanda", "Hakizimana"],
    },
    "horn": {
        "female": ["Selam", "Hiwot", "Meron", "Tigist", "Saba", "Rahel"],
        "male": ["Dawit", "Yonas", "Tesfaye", "Biniam", "Mekonnen", "Yohannes"],
        "last": ["Gebremedhin", "Haile", "Tekle", "Abebe", "Woldu", "Kidane"],
    },
    "east_africa": {
        "female": ["Wanjiru", "Achieng", "Nakato", "Akinyi", "Nansubuga", "Wambui"],
        "male": ["Otieno", "Kiprono", "Ssemakula", "Mugisha", "Kamau", "Okello"],
        "last": ["Mwangi", "Odhiambo", "Namutebi", "Wekesa", "Kato", "Njoroge"],
    },
    "west_africa": {
        "female": ["Chiamaka", "Ngozi", "Aisha", "Funmilayo", "Halima", "Blessing"],
        "male": ["Emeka", "Tunde", "Ibrahim", "Chidi", "Musa", "Segun"],
        "last": ["Okafor", "Adebayo", "Bello", "Nwosu", "Danjuma", "Okonkwo"],
    },
    "southern_africa": {
        "female": ["Tendai", "Rudo", "Chipo", "Nyasha", "Farai", "Tsitsi"],
        "male": ["Tafadzwa", "Tinashe", "Kudakwashe", "Blessing", "Takudzwa", "Simba"],
        "last": ["Moyo", "Ncube", "Chikwanha", "Dube", "Mutasa", "Sibanda"],
    },
    "brazil": {
        "female": ["Ana Clara", "Luana", "Juliana", "Francisca", "Raimunda", "Beatriz"],
        "male": ["João", "Mateus", "Raimundo", "Thiago", "Antônio", "Edson"],
        "last": ["da Silva", "Santos", "Oliveira", "Souza", "Ferreira", "Nascimento"],
    },
    "latin": {
        "female": ["María José", "Lucía", "Gabriela", "Rosa", "Daniela", "Yolanda"],
        "male": ["Carlos", "José Luis", "Andrés", "Javier", "Miguel Ángel", "Diego"],
        "last": ["García", "Hernández", "Ramírez", "Castillo", "Mendoza", "Morales"],
    },
    "us": {
        "female": ["Tanya", "Denise", "Keisha", "Maria", "Jennifer", "Latoya"],
        "male": ["Marcus", "Darnell", "Robert", "Luis", "Anthony", "Curtis"],
        "last": ["Johnson", "Reyes", "Washington", "Miller", "Brooks", "Coleman"],
    },
    "south_asia": {
        "female": ["Nasrin", "Ayesha", "Priya", "Farzana", "Kavita", "Sana"],
        "male": ["Rahim", "Imran", "Arjun", "Tanvir", "Vikram", "Bilal"],
        "last": ["Hossain", "Khan", "Sharma", "Chowdhury", "Qureshi", "Iyer"],
    },
    "khmer": {
        "female": ["Sokha", "Sreymom", "Chantha", "Dara", "Bopha", "Sophea"],
        "male": ["Vannak", "Sovann", "Rithy", "Pisey", "Kosal", "Virak"],
        "last": ["Chea", "Sok", "Heng", "Meas", "Nhem", "Prak"],
    },
    "chinese": {
        "female": ["Li Na", "Wang Fang", "Zhang Min", "Liu Yan", "Chen Jing", "Zhao Lan"],
        "male": ["Wang Wei", "Li Qiang", "Zhang Lei", "Liu Yang", "Chen Hao", "Zhou Bin"],
        "last": [""],
    },
    "burmese": {
        "female": ["Ma Hnin", "Daw Thida", "Ma Su", "Daw Khin", "Ma Ei", "Daw May"],
        "male": ["Ko Aung", "U Kyaw", "Ko Min", "U Zaw", "Ko Htet", "U Tun"],
        "last": ["Myat Noe", "Thant Zin", "Lwin Oo", "Htike Aung", "Win Naing", "Phyo Zaw"],
    },
    "filipino": {
        "female": ["Maria Cristina", "Lorna", "Rowena", "Jocelyn", "Aileen", "Marites"],
        "male": ["Jose Antonio", "Ramon", "Rogelio", "Eduardo", "Jun", "Arnel"],
        "last": ["Dela Cruz", "Reyes", "Bautista", "Villanueva", "Mendoza", "Aquino"],
    },
    "sinhala": {
        "female": ["Tharushi", "Nimali", "Dilani", "Kumari", "Shanthi", "Anoma"],
        "male": ["Kasun", "Ruwan", "Pradeep", "Thilina", "Suresh", "Mahesh"],
        "last": ["Perera", "Fernando", "Jayawardena", "Silva", "Wickramasinghe", "Rajapakse"],
    },
    "vietnamese": {
        "female": ["Nguyen Thi Lan", "Tran Thi Mai", "Le Thi Hoa", "Pham Thi Thu"],
        "male": ["Nguyen Van Minh", "Tran Quoc Bao", "Le Van Hung", "Pham Duc Anh"],
        "last": [""],
    },
    "turkic": {
        "female": ["Ayşe", "Elif", "Leyla", "Günel", "Zeynep", "Aynur"],
        "male": ["Mehmet", "Emin", "Rauf", "Kemal", "Anar", "Murat"],
        "last": ["Yılmaz", "Aliyev", "Demir", "Huseynov", "Kaya", "Mammadov"],
    },
    "slavic": {
        "female": ["Anastasia", "Olga", "Maryna", "Yulia", "Svetlana", "Darya"],
        "male": ["Aleksei", "Dmitry", "Ihar", "Sergei", "Pavel", "Andrei"],
        "last": ["Ivanov", "Sokolov", "Kavaliou", "Petrov", "Lebedev", "Navumenka"],
    },
    "central_asia": {
        "female": ["Gulnara", "Dilnoza", "Aigerim", "Mehriban", "Zarina", "Nilufar"],
        "male": ["Rustam", "Bakhtiyor", "Nurlan", "Dovlet", "Farrukh", "Azamat"],
        "last": ["Karimov", "Nazarova", "Saparov", "Rakhimov", "Yusupova", "Abdullaev"],
    },
    "arabic": {
        "female": ["Fatima", "Mariam", "Nour", "Salma", "Huda", "Yasmin"],
        "male": ["Ahmed", "Mohamed", "Youssef", "Khalid", "Omar", "Hassan"],
        "last": ["Al-Sayed", "Mansour", "Haddad", "Ben Ali", "Al-Khalifa", "Abdelrahman"],
    },
    "persian": {
        "female": ["Narges", "Maryam", "Shirin", "Zahra", "Sepideh", "Nasrin"],
        "male": ["Reza", "Hossein", "Mehdi", "Saeed", "Arash", "Kamran"],
        "last": ["Hosseini", "Rahimi", "Karimi", "Ahmadi", "Moradi", "Jafari"],
    },
}

# Fictional UK volunteers.
UK_FIRST = {
    "female": [
        "Alison",
        "Bethan",
        "Catherine",
        "Deborah",
        "Eleanor",
        "Fiona",
        "Grace",
        "Harriet",
        "Imogen",
        "Jane",
        "Kirsty",
        "Linda",
        "Margaret",
        "Nadia",
        "Olivia",
        "Patricia",
        "Rachel",
        "Siobhan",
        "Tessa",
        "Una",
        "Verity",
        "Wendy",
        "Yasmin",
        "Zoe",
        "Aisha",
        "Megan",
        "Rhiannon",
        "Morag",
        "Joan",
        "Priya",
    ],
    "male": [
        "Adam",
        "Brian",
        "Callum",
        "David",
        "Euan",
        "Frank",
        "Gareth",
        "Hamish",
        "Ian",
        "James",
        "Kieran",
        "Liam",
        "Martin",
        "Neil",
        "Owen",
        "Peter",
        "Rhys",
        "Stephen",
        "Trevor",
        "Vikram",
        "William",
        "Yusuf",
        "Ashok",
        "Dylan",
        "Graham",
        "Kwabena",
        "Malcolm",
        "Declan",
        "Colin",
        "Hugh",
    ],
}
UK_LAST = [
    "Ahmed",
    "Armstrong",
    "Baker",
    "Campbell",
    "Chapman",
    "Clarke",
    "Davies",
    "Doyle",
    "Edwards",
    "Evans",
    "Fraser",
    "Gill",
    "Graham",
    "Hall",
    "Harris",
    "Hughes",
    "Jenkins",
    "Kaur",
    "Kelly",
    "Khan",
    "Lloyd",
    "MacDonald",
    "Mensah",
    "Mitchell",
    "Murphy",
    "Nolan",
    "O'Brien",
    "Owen",
    "Parry",
    "Price",
    "Quinn",
    "Reid",
    "Roberts",
    "Robertson",
    "Shaw",
    "Singh",
    "Stewart",
    "Taylor",
    "Thomas",
    "Turner",
    "Walker",
    "Watson",
    "Williams",
    "Wright",
    "Young",
    "Okoye",
    "Nowak",
    "Brennan",
    "Hussain",
    "Ferguson",
]

# Real UK towns and their postcode areas; every street address and postcode is invented.
UK_TOWNS = [
    ("Brighton", "BN"),
    ("Leeds", "LS"),
    ("York", "YO"),
    ("Bristol", "BS"),
    ("Oxford", "OX"),
    ("Cambridge", "CB"),
    ("Edinburgh", "EH"),
    ("Glasgow", "G"),
    ("Cardiff", "CF"),
    ("Belfast", "BT"),
    ("Norwich", "NR"),
    ("Exeter", "EX"),
    ("Bath", "BA"),
    ("Sheffield", "S"),
    ("Manchester", "M"),
    ("Liverpool", "L"),
    ("Newcastle upon Tyne", "NE"),
    ("Durham", "DH"),
    ("Lancaster", "LA"),
    ("Kendal", "LA"),
    ("Carlisle", "CA"),
    ("Aberdeen", "AB"),
    ("Dundee", "DD"),
    ("Inverness", "IV"),
    ("Stirling", "FK"),
    ("Perth", "PH"),
    ("Swansea", "SA"),
    ("Aberystwyth", "SY"),
    ("Bangor", "LL"),
    ("Shrewsbury", "SY"),
    ("Hereford", "HR"),
    ("Worcester", "WR"),
    ("Gloucester", "GL"),
    ("Cheltenham", "GL"),
    ("Salisbury", "SP"),
    ("Winchester", "SO"),
    ("Southampton", "SO"),
    ("Portsmouth", "PO"),
    ("Bournemouth", "BH"),
    ("Truro", "TR"),
    ("Plymouth", "PL"),
    ("Reading", "RG"),
    ("Guildford", "GU"),
    ("Canterbury", "CT"),
    ("Colchester", "CO"),
    ("Chelmsford", "CM"),
    ("Ipswich", "IP"),
    ("St Albans", "AL"),
    ("Milton Keynes", "MK"),
    ("Northampton", "NN"),
    ("Leicester", "LE"),
    ("Nottingham", "NG"),
    ("Derby", "DE"),
    ("Lincoln", "LN"),
    ("Coventry", "CV"),
    ("Harrogate", "HG"),
    ("Wakefield", "WF"),
    ("Islington", "N"),
    ("Lewisham", "SE"),
    ("Kingston upon Thames", "KT"),
    ("Richmond upon Thames", "TW"),
    ("Armagh", "BT"),
]

UK_STREETS = [
    "Chapel Lane",
    "Mill Road",
    "Victoria Terrace",
    "Orchard Close",
    "Station Approach",
    "Friars Walk",
    "Albion Street",
    "Meadow View",
    "Church Row",
    "Castle Street",
    "Quaker Lane",
    "Willow Crescent",
    "Market Place",
    "Park Avenue",
    "Harbour Road",
    "Hawthorn Way",
    "Priory Gardens",
    "Elm Grove",
    "Kings Road",
    "Bridge Street",
]
MEETING_PLACES = [
    "Friends Meeting House",
    "Community Centre",
    "Unitarian Chapel hall",
    "Library meeting room",
    "Trades Hall",
    "Methodist Church hall",
    "Arts Centre",
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

# Per theme: roles of an individual, a label for a group of people, a label for a community,
# the event (past tense, any subject), what is happening now, and what letters ask for.
# Placeholders: {S} subject, {was}/{is}/{has}/{remain} agree with it, {they}/{They}/{them}/{their}
# the pronoun, and {p_was}/{p_is}/{p_has}/{p_remain} agree with the pronoun (singular they).
THEME_TEXT: dict[str, dict[str, object]] = {
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

# Invented places for group and community cases.
PLACES = [
    "Harbour Street",
    "Market Square",
    "Riverside",
    "Hill Road",
    "Old Town",
    "Lake Road",
    "Mission Road",
    "Cedar Avenue",
    "Bridge Street",
    "Station Road",
    "Upper Valley",
    "Lakeshore",
    "Red Earth",
    "Palm Grove",
    "North Quarter",
    "Stone Bridge",
]
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
OFFICIAL_STREETS = [
    "Independence Avenue",
    "Government Square",
    "Liberty Boulevard",
    "Unity Road",
    "Republic Street",
    "Parliament Way",
    "Capitol Drive",
    "Victory Avenue",
]

CLOSING_NOTES = {
    "resolved": "Released and safe; the family thanked everyone who wrote.",
    "ethical_concern": "Work stopped after new information raised an ethical concern.",
    "person_request": "The person asked that campaigning stop.",
    "is_decision": "The International Secretariat closed the case.",
    "other": "Closed after a review of the programme's caseload.",
}

# kind, weight, (min count, max count), notes
ACTIVITY_KINDS = [
    (
        "appeal_letter",
        38,
        (2, 40),
        [
            "Letters written at the monthly meeting.",
            "Appeal letters signed at the Christmas card evening.",
            "Letters posted to the ministry and copied to the embassy.",
            "Members wrote from home using the suggested letter.",
        ],
    ),
    (
        "solidarity",
        10,
        (1, 25),
        [
            "Solidarity cards signed at the meeting.",
            "Messages of support sent via the family.",
        ],
    ),
    (
        "petition",
        9,
        (15, 650),
        [
            "Petition signatures gathered in the town centre.",
            "Online petition shared with supporters.",
        ],
    ),
    (
        "stall",
        8,
        (20, 300),
        [
            "Stall at the farmers' market; signatures gathered.",
            "Stall at the summer fair.",
            "Stall at the university freshers' fair.",
        ],
    ),
    (
        "local_media",
        5,
        (1, 1),
        [
            "Letter published in the local paper.",
            "Interview on local radio about the case.",
        ],
    ),
    (
        "demonstration",
        5,
        (1, 1),
        [
            "Candlelit vigil outside the town hall.",
            "Silent vigil on the anniversary of the arrest.",
        ],
    ),
    (
        "official_meeting",
        4,
        (1, 1),
        [
            "Met our MP at a constituency surgery; she agreed to write to the embassy.",
            "Meeting with a councillor about a council motion.",
        ],
    ),
    (
        "social_media",
        12,
        (1, 1),
        [
            "Posts shared on the group's social media accounts.",
            "Social media thread on the anniversary of the arrest.",
        ],
    ),
    (
        "event",
        5,
        (1, 1),
        [
            "Film screening and discussion.",
            "Write-for-rights evening at the library.",
        ],
    ),
    (
        "other",
        4,
        (1, 1),
        [
            "Birthday card campaign for the family.",
            "Wrote to the embassy in London.",
        ],
    ),
]
REPLY_NOTES = [
    "Acknowledgement received from the ministry; no substantive answer.",
    "Reply from the embassy saying the case is before the courts.",
    "Our MP received a reply from the Foreign Office.",
]
IMPROVEMENT_NOTES = [
    "The family report that visits are now allowed.",
    "Moved to a prison nearer the family.",
    "Received medical treatment after months of requests.",
]
OTHER_OUTCOME_NOTES = [
    "Hearing postponed again.",
    "The coordinator reports that the case was raised at the UN.",
]

REPORT_TEXT = {
    "what_worked": [
        "Letter-writing at meetings kept a steady flow of appeals.",
        "Stalls brought in many new signatures and two new members.",
        "The local paper covered the anniversary vigil.",
    ],
    "media": ["One letter in the local paper.", "Local radio interview.", "None this year."],
    "plans": [
        "Keep writing monthly and hold a vigil on the anniversary.",
        "Ask our MP to raise the case with the Foreign Office.",
        "A stall at the summer fair and a write-for-rights evening.",
    ],
    "concerns": ["", "", "We have had no news of the family for some months."],
    "acknowledgement": [
        "Thank you, this is very encouraging work. Please keep going.",
        "Many thanks for the report; I will pass the news of your vigil to the researcher.",
        "Thank you all. The family know that groups in the UK are writing.",
    ],
}

GROUP_ALLOCATION_END_NOTES = {
    "relinquished": "The group has too few active members to continue.",
    "withdrawn": "Withdrawn by IAR when the case was reorganised.",
    "declined": "The group felt unable to take on a case in this country.",
}


# Coordinators' updates: (kind, title, body in the site's small Markdown subset). Fictional.
UPDATE_TEXTS = [
    (
        "development",
        "Trial postponed again",
        "The hearing set for this month has been **postponed** without a new date.\n\n"
        "Please keep writing: letters asking for a fair and prompt trial matter most now.",
    ),
    (
        "development",
        "Family able to visit",
        "Relatives were allowed a short visit for the first time in months. They report that "
        "letters from groups in the UK are being passed on and were *much appreciated*.",
    ),
    (
        "action_needed",
        "Write before the review hearing",
        "A review hearing is expected within weeks. Please send appeals to the current targets "
        "now, and post a short solidarity message if your group has not done so this year.",
    ),
    (
        "action_needed",
        "Concern for health in detention",
        "We have reports of poor health and no access to a doctor of choice. Please write "
        "urgently asking for independent medical care:\n\n- to the Minister of Justice\n"
        "- to the prison director",
    ),
    (
        "development",
        "Quieter period: keep the case visible",
        "There is little news this month. Stalls and local media work help keep the case in "
        "the public eye; see the casefile for ideas.",
    ),
]
