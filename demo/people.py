"""The people in the demo data: the four demo logins, the volunteers of the local groups and the
country coordinators.

Every person is invented: UK volunteers are invented combinations of common names, the people a
case is about are drawn from pools of common names of their region. Emails use the reserved
`.example` domain and telephone numbers come from Ofcom's range kept for drama, so nothing here
can reach a real person.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password

from accounts.models import User
from coordinators.models import CountryCoordinator
from demo.base import DEMO_DOMAIN, GROUP_COUNT, SeederBase, ascii_slug
from groups.models import Membership

PASSWORD = "iar-demo-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"

# email, full name, what the login shows.
STAFF_LOGIN = ("staff@demo.example", "Sam Patel", "IAR programme staff (superuser, TOTP)")
COORDINATOR_LOGIN = ("coordinator@demo.example", "Ruth Adeyemi", "country coordinator (TOTP)")
HOLDER_LOGIN = ("holder@demo.example", "Tom Bennett", "casefile holder in a local group")
MEMBER_LOGIN = ("member@demo.example", "Alice Morgan", "member of another local group")
LOGINS = (STAFF_LOGIN, COORDINATOR_LOGIN, HOLDER_LOGIN, MEMBER_LOGIN)

COORDINATOR_CHUNKS = [4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3]  # 43 countries, 12 coordinators


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


class PeopleSteps(SeederBase):
    def uk_person(self, gender: str | None = None) -> tuple[str, str]:
        while True:
            g = gender or self.rng.choice(["female", "male"])
            name = f"{self.rng.choice(UK_FIRST[g])} {self.rng.choice(UK_LAST)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name, g

    def email_for(self, name: str) -> str:
        base = ascii_slug(name)
        email, n = f"{base}@{DEMO_DOMAIN}", 1
        while email in self.used_emails:
            n += 1
            email = f"{base}{n}@{DEMO_DOMAIN}"
        self.used_emails.add(email)
        return email

    def foreign_name(self, pool: str, gender: str) -> str:
        names = NAME_POOLS[pool]
        first = self.rng.choice(names["female" if gender == "female" else "male"])
        if gender not in ("female", "male"):
            first = self.rng.choice(names[self.rng.choice(["female", "male"])])
        return f"{first} {self.rng.choice(names['last'])}".strip()

    def users(self) -> None:
        password = make_password(PASSWORD)  # hashed once: the slow part of making a login
        for email, name, _ in LOGINS:
            self.used_emails.add(email)
            self.used_names.add(name)
        self.staff = User(
            email=STAFF_LOGIN[0],
            full_name=STAFF_LOGIN[1],
            is_staff=True,
            is_superuser=True,
            password=password,
        )
        self.coordinator_user = User(
            email=COORDINATOR_LOGIN[0], full_name=COORDINATOR_LOGIN[1], password=password
        )
        self.holder = User(email=HOLDER_LOGIN[0], full_name=HOLDER_LOGIN[1], password=password)
        self.member = User(email=MEMBER_LOGIN[0], full_name=MEMBER_LOGIN[1], password=password)
        users = [self.staff, self.coordinator_user, self.holder, self.member]

        self.other_coordinators = []
        for _ in range(len(COORDINATOR_CHUNKS) - 1):
            name, _g = self.uk_person()
            self.other_coordinators.append(self.unusable_user(name))
        users += self.other_coordinators

        # Members of each group; the two demo members go into the first two groups.
        self.members = []
        for index in range(GROUP_COUNT):
            people = []
            size = self.rng.randint(4, 9)
            admins = 1 if self.rng.random() < 0.6 else 2
            for position in range(size):
                name, _g = self.uk_person()
                role = Membership.Role.ADMIN if position < admins else Membership.Role.MEMBER
                people.append((self.unusable_user(name), role))
            if index == 0:
                people.insert(admins, (self.holder, Membership.Role.MEMBER))
            if index == 1:
                people.insert(admins, (self.member, Membership.Role.MEMBER))
            self.members.append(people)
            users += [u for u, _ in people if u not in (self.holder, self.member)]
        self.bulk(User, users)

        self.bulk(
            Authenticator,
            [
                Authenticator(
                    user=user,
                    type=Authenticator.Type.TOTP,
                    data={"secret": encrypt(TOTP_SECRET)},
                )
                for user in (self.staff, self.coordinator_user)
            ],
        )

    def unusable_user(self, name: str) -> User:
        user = User(email=self.email_for(name), full_name=name)
        user.set_unusable_password()
        return user

    def coordinators(self) -> None:
        users = [self.coordinator_user, *self.other_coordinators]
        profiles = []
        for user in users:
            public = ""
            if user is not self.coordinator_user and self.rng.random() < 0.3:
                public = f"iar.{ascii_slug(user.full_name)}@{DEMO_DOMAIN}"
            phone = f"07700 900{self.rng.randint(0, 999):03d}"  # Ofcom's range for drama
            profiles.append(CountryCoordinator(user=user, public_email=public, phone=phone))
        self.bulk(CountryCoordinator, profiles)
        # Every country has exactly one coordinator; chunks follow the region order.
        self.coordinator_of = {}
        links = []
        start = 0
        for profile, size in zip(profiles, COORDINATOR_CHUNKS, strict=True):
            for country in self.countries[start : start + size]:
                self.coordinator_of[country.pk] = profile
                links.append(
                    CountryCoordinator.countries.through(
                        countrycoordinator_id=profile.pk, country_id=country.pk
                    )
                )
            start += size
        self.bulk(CountryCoordinator.countries.through, links)
        self.coordinator_countries = self.countries[: COORDINATOR_CHUNKS[0]]
