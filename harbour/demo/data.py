# ruff: noqa: E501  (the tables read best one row to a line)
"""Word lists and the fixed cast of the demo area. Every name, place and number here is invented.

Names are grouped by heritage so a generated person's names and recorded ethnicity fit together,
as they would in a real area; the recorded ethnicity is still often "not known" or "not asked",
because inquiries found it blank in a third or more of cases. Staff surnames are kept apart from
the surnames given to people on record, so a test can look for a hidden person's name in a page
without tripping over the name of the user who is signed in.
"""

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role

# --- Agencies, teams, care homes, staff -------------------------------------------------------

# (short name, name, kind)
# fmt: off
AGENCIES = [
    ("HBP", "Harbourshire Police", AgencyKind.POLICE),
    ("NTH", "Northborough Council", AgencyKind.CHILDRENS_SOCIAL_CARE),
    ("STH", "Southmere Council", AgencyKind.CHILDRENS_SOCIAL_CARE),
    ("YOS", "Harbourshire Youth Offending Service", AgencyKind.YOUTH_OFFENDING),
    ("SAFE", "Safe Passage", AgencyKind.RETURN_INTERVIEW_PROVIDER),
    ("HNHS", "Harbourshire NHS Foundation Trust", AgencyKind.HEALTH),
    ("HLT", "Harbour Learning Trust", AgencyKind.EDUCATION),
    ("BWC", "Brightwater Care", AgencyKind.CARE_PROVIDER),
    ("OAK", "Oakleaf Children's Homes", AgencyKind.CARE_PROVIDER),
]
# fmt: on

# agency short name -> team names
# fmt: off
TEAMS = {
    "HBP": [
        "Child Exploitation Team", "Missing Persons Unit", "Intelligence Unit", "Public Protection Unit",
        "Neighbourhood Policing",
    ],
    "NTH": ["Complex Safeguarding Team", "Children in Care Team", "Front Door (MASH)"],
    "STH": ["Complex Safeguarding Team", "Children in Care Team", "Front Door (MASH)"],
    "YOS": ["Youth Justice Team"],
    "SAFE": ["Return Interview Team"],
    "HNHS": ["Safeguarding Children Team"],
    "HLT": ["Designated Safeguarding Leads"],
}
# fmt: on

# (slug, name, provider, host authority, address, postcode, Ofsted URN); each has a police liaison officer
# fmt: off
CARE_HOMES = [
    ("willowhouse", "Willow House", "BWC", "STH", "14 Lantern Row, Southmere", "HB6 2QT", "SC990101"),
    ("harbourview", "Harbour View", "BWC", "STH", "2 Quayside Mews, Southmere", "HB7 4LD", "SC990102"),
    ("elmlodge", "Elm Lodge", "OAK", "STH", "61 Orchard Rise, Southmere", "HB5 8NW", "SC990103"),
    ("cedarcourt", "Cedar Court", "OAK", "NTH", "9 Foundry Lane, Northborough", "HB2 3HF", "SC990104"),
]
# fmt: on
HOME_CAPACITY = 6  # beds per home: children's homes are small


def liaison_username(home_slug: str) -> str:
    return f"police.liaison.{home_slug}"


# (username, first name, last name, role, agency, team or "", job title, care home slug or "")
# fmt: off
STAFF = [
    ("police.officer", "Daniel", "Okonjo", Role.PRACTITIONER, "HBP", "Child Exploitation Team", "Detective Constable", ""),
    ("police.mispers", "Helen", "Carver", Role.PRACTITIONER, "HBP", "Missing Persons Unit", "Missing persons co-ordinator", ""),
    ("police.ppu", "Gareth", "Pryce", Role.PRACTITIONER, "HBP", "Public Protection Unit", "Police Constable", ""),
    ("police.supervisor", "Sarah", "Whitlock", Role.SUPERVISOR, "HBP", "Child Exploitation Team", "Detective Sergeant", ""),
    ("police.analyst", "Imran", "Siddique", Role.ANALYST, "HBP", "Intelligence Unit", "Intelligence analyst", ""),
    ("mace.cochair", "Fiona", "Marchbank", Role.MACE_CHAIR, "HBP", "Child Exploitation Team", "Detective Inspector, MACE co-chair", ""),
    ("police.manager", "Rhodri", "Vaughan-Pryce", Role.MANAGER, "HBP", "", "Detective Superintendent, public protection (figures only)", ""),
    ("police.auditor", "Janice", "Threlfall", Role.AUDITOR, "HBP", "", "Information assurance officer", ""),
    ("police.admin", "Colin", "Ashdown", Role.ADMINISTRATOR, "HBP", "", "Systems administrator", ""),
    (liaison_username("willowhouse"), "Marcus", "Delaney", Role.PRACTITIONER, "HBP", "Neighbourhood Policing", "Police liaison officer for children's homes", ""),
    (liaison_username("harbourview"), "Aisling", "Brennock", Role.PRACTITIONER, "HBP", "Neighbourhood Policing", "Police liaison officer for children's homes", ""),
    (liaison_username("elmlodge"), "Tomasz", "Wielgus", Role.PRACTITIONER, "HBP", "Neighbourhood Policing", "Police liaison officer for children's homes", ""),
    (liaison_username("cedarcourt"), "Nadia", "Farouqi", Role.PRACTITIONER, "HBP", "Neighbourhood Policing", "Police liaison officer for children's homes", ""),
    ("nth.socialworker", "Rachel", "Penhaligon", Role.PRACTITIONER, "NTH", "Complex Safeguarding Team", "Social worker", ""),
    ("nth.socialworker2", "Kwame", "Asante-Boateng", Role.PRACTITIONER, "NTH", "Children in Care Team", "Social worker", ""),
    ("nth.mash", "Lorna", "Gilchrist", Role.PRACTITIONER, "NTH", "Front Door (MASH)", "MASH social worker", ""),
    ("nth.supervisor", "Philippa", "Drummond", Role.SUPERVISOR, "NTH", "Complex Safeguarding Team", "Team manager", ""),
    ("nth.analyst", "Owen", "Trevithick", Role.ANALYST, "NTH", "Complex Safeguarding Team", "Exploitation analyst", ""),
    ("mace.chair", "Beverley", "Ainsworth", Role.MACE_CHAIR, "NTH", "Complex Safeguarding Team", "Head of service, MACE chair", ""),
    ("nth.manager", "Imogen", "Castleford", Role.MANAGER, "NTH", "", "Director of children's services (figures only)", ""),
    ("nth.auditor", "Graham", "Pettigrew", Role.AUDITOR, "NTH", "", "Information governance officer", ""),
    ("nth.admin", "Shona", "Maclaren", Role.ADMINISTRATOR, "NTH", "", "Systems administrator", ""),
    ("sth.socialworker", "Adaeze", "Nwankwo", Role.PRACTITIONER, "STH", "Complex Safeguarding Team", "Social worker", ""),
    ("sth.socialworker2", "Callum", "Fairbairn", Role.PRACTITIONER, "STH", "Children in Care Team", "Social worker", ""),
    ("sth.mash", "Ruth", "Ellingham", Role.PRACTITIONER, "STH", "Front Door (MASH)", "MASH social worker", ""),
    ("sth.supervisor", "Deborah", "Castellano", Role.SUPERVISOR, "STH", "Complex Safeguarding Team", "Team manager", ""),
    ("sth.analyst", "Vikram", "Bhandari", Role.ANALYST, "STH", "Complex Safeguarding Team", "Performance analyst", ""),
    ("sth.manager", "Tobias", "Wren-Hallett", Role.MANAGER, "STH", "", "Assistant director, safeguarding (figures only)", ""),
    ("sth.auditor", "Martin", "Oldroyd", Role.AUDITOR, "STH", "", "Information governance officer", ""),
    ("sth.admin", "Eleri", "Prothero", Role.ADMINISTRATOR, "STH", "", "Systems administrator", ""),
    ("yos.worker", "Jermaine", "Lindo", Role.PRACTITIONER, "YOS", "Youth Justice Team", "YOS case manager", ""),
    ("yos.supervisor", "Catriona", "Munro", Role.SUPERVISOR, "YOS", "Youth Justice Team", "YOS team leader", ""),
    ("yos.admin", "Derek", "Hollings", Role.ADMINISTRATOR, "YOS", "", "Systems administrator", ""),
    ("rhi.worker", "Zainab", "Quraishi", Role.PRACTITIONER, "SAFE", "Return Interview Team", "Return interview worker", ""),
    ("rhi.worker2", "Ellis", "Varley", Role.PRACTITIONER, "SAFE", "Return Interview Team", "Return interview worker", ""),
    ("rhi.supervisor", "Moira", "Lockhart", Role.SUPERVISOR, "SAFE", "Return Interview Team", "Service manager", ""),
    ("rhi.admin", "Bernard", "Featherstone", Role.ADMINISTRATOR, "SAFE", "", "Office manager", ""),
    ("health.nurse", "Grace", "Adebayo-Lund", Role.PRACTITIONER, "HNHS", "Safeguarding Children Team", "Named nurse for looked-after children", ""),
    ("health.supervisor", "Hamish", "Kerrigan", Role.SUPERVISOR, "HNHS", "Safeguarding Children Team", "Designated nurse, safeguarding", ""),
    ("health.admin", "Pauline", "Grimshaw", Role.ADMINISTRATOR, "HNHS", "", "Systems administrator", ""),
    ("school.dsl", "Andrew", "Kilbride", Role.PRACTITIONER, "HLT", "Designated Safeguarding Leads", "Designated safeguarding lead, Southmere Academy", ""),
    ("school.dsl2", "Meera", "Kapoor-Hart", Role.PRACTITIONER, "HLT", "Designated Safeguarding Leads", "Designated safeguarding lead, Northborough High", ""),
    ("school.admin", "Trevor", "Blackwood", Role.ADMINISTRATOR, "HLT", "", "Systems administrator", ""),
    ("care.willowhouse", "Jodie", "Harkness", Role.CARE_HOME_STAFF, "BWC", "", "Registered manager", "willowhouse"),
    ("care.harbourview", "Samuel", "Achterberg", Role.CARE_HOME_STAFF, "BWC", "", "Registered manager", "harbourview"),
    ("care.elmlodge", "Precious", "Mabaso", Role.CARE_HOME_STAFF, "OAK", "", "Registered manager", "elmlodge"),
    ("care.cedarcourt", "Neil", "Fothergill", Role.CARE_HOME_STAFF, "OAK", "", "Registered manager", "cedarcourt"),
    ("care.willowhouse2", "Kayleigh", "Brandreth", Role.CARE_HOME_STAFF, "BWC", "", "Residential support worker", "willowhouse"),
    ("brightwater.admin", "Lionel", "Haverstock", Role.ADMINISTRATOR, "BWC", "", "Systems administrator", ""),
    ("oakleaf.admin", "Yvonne", "Stansfield", Role.ADMINISTRATOR, "OAK", "", "Systems administrator", ""),
]
# fmt: on

# --- People on record ------------------------------------------------------------------------

# Heritage groups: weight among children, first names (female, male), surnames, recorded ethnicities,
# first languages other than English. A "mixed" child takes a first name from one group and a surname
# from another (see seed.py).
# fmt: off
HERITAGE = {
    "british": {
        "weight": 60,
        "female": [
            "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Grace", "Freya", "Evie", "Poppy", "Ella",
            "Sophie", "Chloe", "Jessica", "Ellie", "Millie", "Ruby", "Megan", "Holly", "Lacey", "Tegan", "Kayla",
            "Courtney", "Paige", "Caitlin", "Niamh", "Shannon", "Abbie", "Leah", "Bethany", "Lexi", "Summer", "Demi",
            "Keeley", "Jade",
        ],
        "male": [
            "Oliver", "Harry", "Jack", "George", "Noah", "Charlie", "Jacob", "Alfie", "Freddie", "Oscar", "Leo",
            "Archie", "Thomas", "Joshua", "Riley", "Mason", "Tyler", "Kieran", "Connor", "Liam", "Callum", "Bradley",
            "Ryan", "Jordan", "Kyle", "Reece", "Declan", "Ethan", "Lewis", "Owen", "Jayden", "Brandon", "Cameron",
            "Dylan",
        ],
        "surnames": [
            "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
            "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Hughes",
            "Turner", "Hill", "Cooper", "Ward", "Morris", "Moore", "Baker", "Harrison", "Lewis", "Kelly", "Murphy",
            "O'Brien", "Gallagher", "Doherty", "Lynch", "Fletcher", "Hewitt", "Barlow", "Marsden", "Kershaw",
            "Pickering", "Sutcliffe", "Rowntree", "Blackburn", "Dobson", "Tennant",
        ],
        "ethnicities": ["white_british"] * 9 + ["white_irish"],
        "languages": [],
    },
    "south_asian": {
        "weight": 12,
        "female": [
            "Aisha", "Ayesha", "Fatima", "Maryam", "Zara", "Hafsa", "Sana", "Amira", "Inaya", "Nusrat", "Tahmina",
            "Priya", "Anika", "Simran", "Jasleen", "Halima", "Rukhsana", "Sumaiya",
        ],
        "male": [
            "Mohammed", "Muhammad", "Ibrahim", "Yusuf", "Zain", "Ayaan", "Hamza", "Bilal", "Rayyan", "Imran", "Arjun",
            "Rohan", "Harjit", "Sahil", "Tanvir", "Rahim", "Faisal", "Adnan",
        ],
        "surnames": [
            "Khan", "Hussain", "Ahmed", "Ali", "Begum", "Akhtar", "Iqbal", "Rahman", "Uddin", "Miah", "Islam", "Patel",
            "Sharma", "Singh", "Kaur", "Chowdhury", "Mahmood", "Rashid", "Bashir", "Nawaz",
        ],
        "ethnicities": ["asian_pakistani"] * 4 + ["asian_bangladeshi"] * 3 + ["asian_indian"] * 2 + ["asian_other"],
        "languages": ["Urdu", "Bengali (Sylheti)", "Punjabi", "Gujarati"],
    },
    "black_african": {
        "weight": 5,
        "female": ["Amara", "Chiamaka", "Blessing", "Abena", "Nia", "Hodan", "Ifeoma", "Folake", "Esi", "Ayan"],
        "male": ["Tobi", "Kofi", "Chidi", "Emeka", "Kwabena", "Abdi", "Segun", "Tunde", "Yonas", "Mamadou"],
        "surnames": [
            "Okafor", "Adeyemi", "Mensah", "Osei", "Abdi", "Hassan", "Okoro", "Boateng", "Nwosu", "Diallo", "Tesfaye",
            "Owusu", "Eze", "Bello",
        ],
        "ethnicities": ["black_african"],
        "languages": ["Somali", "Yoruba", "Tigrinya", "Twi", "Igbo", "French"],
    },
    "black_caribbean": {
        "weight": 4,
        "female": ["Shanice", "Aaliyah", "Tiana", "Jada", "Kiara", "Destiny", "Imani", "Nadia"],
        "male": ["Tyrone", "Jamal", "Marcus", "Andre", "Kai", "Isaiah", "Malachi", "Jerome"],
        "surnames": [
            "Campbell", "Francis", "Bailey", "Grant", "Henry", "Reid", "Brooks", "Thomas", "Clarke-Reid", "Gordon",
            "Samuels", "McKenzie",
        ],
        "ethnicities": ["black_caribbean"] * 3 + ["black_other"],
        "languages": [],
    },
    "eastern_european": {
        "weight": 7,
        "female": ["Zuzanna", "Julia", "Maja", "Oliwia", "Alexandra", "Ioana", "Gabriela", "Emilija", "Viktoria"],
        "male": ["Jakub", "Kacper", "Filip", "Szymon", "Andrei", "Ionut", "Lukas", "Matej", "Dominik", "Nikolai"],
        "surnames": [
            "Nowak", "Kowalski", "Wisniewski", "Lewandowski", "Popescu", "Ionescu", "Kazlauskas", "Horvath", "Balogh",
            "Dvorak", "Petrov", "Zielinski", "Lakatos",
        ],
        "ethnicities": ["white_other"] * 4 + ["white_roma"],
        "languages": ["Polish", "Romanian", "Lithuanian", "Slovak", "Romani", "Czech", "Hungarian"],
    },
    "middle_eastern": {
        "weight": 3,
        "female": ["Layla", "Noor", "Yasmin", "Rania", "Dilan", "Shirin"],
        "male": ["Omar", "Ahmad", "Karwan", "Hussein", "Rezan", "Tariq", "Sami"],
        "surnames": ["Al-Rashid", "Haddad", "Mustafa", "Saleh", "Karimi", "Ahmadi", "Barzani", "Hamdan"],
        "ethnicities": ["other_arab"] * 2 + ["other_any"],
        "languages": ["Arabic", "Kurdish (Sorani)", "Farsi", "Pashto"],
    },
    "east_asian": {
        "weight": 1,
        "female": ["Mei", "Jia", "Lan", "Thuy"],
        "male": ["Wei", "Jun", "Minh", "Hao"],
        "surnames": ["Chen", "Wong", "Li", "Nguyen", "Zhang", "Tran"],
        "ethnicities": ["asian_chinese"] * 2 + ["asian_other"],
        "languages": ["Cantonese", "Mandarin", "Vietnamese"],
    },
}
# fmt: on
# Children of mixed heritage: the weight among children, and the ethnicities recorded for them.
MIXED_WEIGHT = 8
# fmt: off
MIXED_ETHNICITIES = [
    "mixed_white_black_caribbean", "mixed_white_black_caribbean", "mixed_white_black_african", "mixed_white_asian",
    "mixed_other",
]
# fmt: on
TRAVELLER_SURNAMES = ["Boswell", "Lee", "Price", "Loveridge", "Cooper-Smith"]

# Street names used by adults of concern; invented, and chosen to be neutral.
# fmt: off
STREET_NAMES = [
    "Ghost", "Flex", "Bricks", "Shadow", "Ace", "Jay-Dee", "Mouse", "Tank", "Chips", "Benz", "Nova", "Slim", "Rocket",
    "Smokey", "Duke", "Milo", "Tee", "Bugsy",
]
# fmt: on
# Short forms people go by.
# fmt: off
NICKNAMES = {
    "Olivia": "Liv",
    "Amelia": "Millie",
    "Jessica": "Jess",
    "Bethany": "Beth",
    "Caitlin": "Cait",
    "Megan": "Meg",
    "Alexandra": "Ola",
    "Gabriela": "Gabi",
    "Zuzanna": "Zuza",
    "Oliver": "Ollie",
    "Thomas": "Tom",
    "Joshua": "Josh",
    "Bradley": "Brad",
    "Cameron": "Cam",
    "Jacob": "Jake",
    "Mohammed": "Mo",
    "Muhammad": "Mo",
    "Ibrahim": "Ibby",
    "Nikolai": "Niko",
    "Dominik": "Dom",
    "Emeka": "Meks",
    "Isaiah": "Zay",
    "Malachi": "Kai",
    "Harjit": "Harj",
}
# fmt: on

# --- Places ---------------------------------------------------------------------------------

# fmt: off
STREETS = [
    "Anchor Street", "Barley Close", "Beacon Road", "Bramble Way", "Canal Side", "Chapel Walk", "Copperfield Road",
    "Drovers Lane", "Ferry Road", "Fisher Street", "Flax Row", "Gable End", "Gasworks Lane", "Harbour Terrace",
    "Heron Drive", "Jubilee Crescent", "Keel Street", "Kiln Lane", "Lighthouse Road", "Lockkeepers Way",
    "Mariners Close", "Mill Brow", "Netmakers Row", "Old Quay Street", "Pilot Street", "Rope Walk", "Saltings Road",
    "Seacole Avenue", "Signal Hill", "Slipway Close", "Station Approach", "Tanners Yard", "Tidewater Road",
    "Victoria Terrace", "Weavers Court", "Wharf Road", "Windlass Street", "Yarn Lane",
]
# fmt: on
# town -> (localities, postcode districts in the fictional HB area)
TOWNS = {
    "Northborough": (["Eastcliff", "Hollinbank", "Northgate", "Ravenscar Park", "Upper Moor"], [1, 2, 3, 4]),
    "Southmere": (["Saltmarsh", "Quayside", "Brookfield", "St Oswald's", "Westbay"], [5, 6, 7, 8]),
}
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in the inward code

# --- Notes ----------------------------------------------------------------------------------
# Professional, non-explicit wording that follows the language guidance: exploitation is never
# described as the child's choice. {name} is the child's given name.

# fmt: off
CHILD_NOTES = [
    "Home visit completed. {name} talked about school and football; no new concerns raised today.",
    "Strategy discussion held with police and education. Agreed to continue the safety plan and review in four weeks.",
    "{name} was reported missing overnight and was found by police the next morning. A return home interview has been offered through Safe Passage.",
    "Carers raised a concern about a new phone and new clothes that {name} could not explain. Police informed; added to the MACE agenda.",
    "Professionals meeting: {name} may be being criminally exploited by older associates. Police to explore disruption options.",
    "Return home interview held within 72 hours of return. {name} chose not to say where they had been; carers contributed instead.",
    "Safety plan reviewed with {name} and carers. A trusted adult at school has been identified.",
    "School reports improved attendance this half term. The designated safeguarding lead will share any change.",
    "Referral made to the youth offending service for voluntary support.",
    "Adults have been contacting {name} online through a gaming platform. Parents supported to review privacy settings; police informed.",
    "Exploitation screening reviewed: level unchanged. Next review in three months.",
    "{name} was seen in Southmere town centre late in the evening with older young people. Trigger plan updated.",
    "Initial health assessment completed; no outstanding health actions.",
    "Visit to {name} at placement. Settling well; keen to start a college taster course.",
]
# fmt: on
# fmt: off
ADULT_NOTES = [
    "Intelligence suggests {name} is linked to a deal line operating between Northborough and Southmere.",
    "{name} was seen collecting young people from outside a children's home in Southmere. Shared for the MACE locations discussion.",
    "Vehicle associated with {name} stopped near Quayside; two children present were taken home safely.",
    "{name} has been identified as an associate of several children on the MACE list.",
    "Disruption: a Child Abduction Warning Notice is being considered in respect of {name}.",
]
# fmt: on
OTHER_NOTES = [
    "Parent spoken to by phone; supportive of the safety plan.",
    "Grandparent offered to provide respite at weekends; assessment to follow.",
]

# --- Identifier number ranges ----------------------------------------------------------------
UPN_LA_CODES = {"NTH": "990", "STH": "991"}  # outside the range of real English LA numbers
