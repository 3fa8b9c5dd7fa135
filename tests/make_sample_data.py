"""Write the demo export sample_data/Basic_LinkedInDataExport_11-20-2026.zip (made-up people, deterministic)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import factory
from factory import ExportSpec, Message, Person, Recommendation, Row

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"
ZIP_NAME = "Basic_LinkedInDataExport_11-20-2026.zip"
ZIP_TIME = (2026, 11, 20, 9, 0, 0)
CONFIG_TEXT = '# Example configuration for endorse-audit (see README).\n[skills]\nallow = ["Team Leadership"]\n'

SKILLS = [
    "Python (Programming Language)",
    "Amazon Web Services (AWS)",
    "JavaScript",
    "Data Visualization",
    "Responsive Web Design",
    "Management Consulting",
    "Project Management",
    "Kubernetes",
    "Public Speaking",
    "Financial Modeling",
    "Stakeholder Management",
    "css3 ",
    "Javascript",
    "SQL",
    "Machine Learning",
]

# Endorsers.
adaeze = Person("Adaeze", "Okonkwo, MBA", "adaeze-okonkwo-5c1e72")
mehmet = Person("Mehmet", "Karaoğlu", "mehmet-karaoğlu-81b3a0")
sofia = Person("Sofía", "Herrera", "sofia-herrera-ux")
kenji = Person("Kenji", "Watanabe", "kenjiwatanabe")
liesel = Person("Liesel", "Brandt ", "liesel-brandt-0a94d2")  # trailing space, as seen in real exports
rahul = Person("Rahul", "Deshpande", "rahul-deshpande-3310b8")
chiara = Person("Chiara", "Moretti", "chiara-moretti")
seun = Person("Oluwaseun", "Bankole", "seun-bankole-7f2e01")  # bulk-endorses skills never listed
grzegorz = Person("Grzegorz", "Wiśniewski", "grzegorz-wisniewski-22a0c1")
mai = Person("Mai", "Nguyen", "mai-nguyen-9d4b13")
fatima = Person("Fatima", "Al-Sayed", "fatima-alsayed")
bjorn = Person("Björn", "Halvorsen", "bjorn-halvorsen-6e5a08")
tamar = Person("Tamar", "Ben-David", "tamarbendavid")  # no longer a connection
diego = Person("Diego", "Castillo", None)  # no URL in the export
aroha = Person("Aroha", "Ngata", "aroha-ngata-41c7d9")
jiahui = Person("Jiahui", "Lin", "jiahui-lin-0b8e33")
siobhan = Person("Siobhán", "O'Connell", "siobhan-oconnell-1a2b3c")
hamid = Person("Hamid", "Rostami", None)  # no URL in the export

# Other connections who never endorsed anything.
nadia = Person("Nadia", "Petrova", "nadia-petrova-2c7b19")
emeka = Person("Emeka", "Nwosu", "emekanwosu")
samira = Person("Samira", "Haddad", "samira-haddad-84f0e2")
lukas = Person("Lukas", "Becker", "lukas-becker-b7731d")
ana = Person("Ana Lúcia", "Ferreira", "analuciaferreira")
ravi = Person("Ravi", "Iyer", "ravi-iyer-5e6d02")
hyejin = Person("Hyejin", "Park", "hyejin-park-c19a47")
mateo = Person("Mateo", "Giménez", "mateo-gimenez-0d2f88")
zanele = Person("Zanele", "Dlamini", "zanele-dlamini-6b4c31")
oskar = Person("Oskar", "Nyström", "oskar-nystrom-90e1aa")

SEUN_BULK = "2021/06/14 19:22:07 UTC"
TAMAR_BULK = "2023/02/03 22:10:45 UTC"

ENDORSEMENTS: list[tuple[str, str, Person]] = [
    # Oluwaseun Bankole: one click on "endorse all suggested skills".
    (SEUN_BULK, "Web Design", seun),
    (SEUN_BULK, "Consulting", seun),
    (SEUN_BULK, "Java", seun),
    (SEUN_BULK, "JavaScript", seun),
    (SEUN_BULK, "Adobe XD", seun),
    (SEUN_BULK, "php", seun),
    (SEUN_BULK, "Salesforce.com", seun),
    (SEUN_BULK, "Leadership", seun),
    # Tamar Ben-David: the same, two years later.
    (TAMAR_BULK, "Blockchain", tamar),
    (TAMAR_BULK, "Cryptocurrency", tamar),
    (TAMAR_BULK, "Economics ", tamar),
    (TAMAR_BULK, "Public Speaking", tamar),
    (TAMAR_BULK, "Consulting", tamar),
    (TAMAR_BULK, "Leadership", tamar),
    # Grzegorz Wiśniewski: a former C++ colleague.
    ("2019/08/22 11:47:30 UTC", "C++", grzegorz),
    ("2019/08/22 11:47:44 UTC", "Java", grzegorz),
    ("2022/05/10 07:31:02 UTC", "Web Design", grzegorz),
    ("2024/09/03 15:12:19 UTC", "Python", grzegorz),
    # Everyone else.
    ("2019/03/11 09:05:14 UTC", "Project Management", adaeze),
    ("2020/10/27 16:40:03 UTC", "Stakeholder Management", adaeze),
    ("2025/02/18 12:22:47 UTC", "Python (Programming Language)", adaeze),
    ("2021/01/19 20:14:55 UTC", "Python", mehmet),
    ("2024/12/05 08:57:31 UTC", "Kubernetes", mehmet),
    ("2019/11/04 14:33:09 UTC", "CSS3", sofia),
    ("2019/11/04 14:33:21 UTC", "JavaScript", sofia),
    ("2020/04/29 18:02:40 UTC", "Data Visualisation", sofia),
    ("2020/04/29 18:02:52 UTC", "Data Visualization", sofia),
    ("2022/09/14 03:18:25 UTC", "Amazon Web Services (AWS)", kenji),
    ("2022/09/14 03:18:37 UTC", "Kubernetes", kenji),
    ("2022/09/14 03:18:49 UTC", "Python (Programming Language)", kenji),
    ("2025/07/30 02:45:11 UTC", "Amazon Web Services (AWS)", kenji),
    ("2020/02/06 10:11:58 UTC", "Stakeholder Management", liesel),
    ("2023/11/21 09:26:34 UTC", "Project Management", liesel),
    ("2026/03/12 13:04:50 UTC", "Team Leadership", liesel),
    ("2019/06/17 05:49:27 UTC", "SQL", rahul),
    ("2021/08/09 06:30:15 UTC", "Python (Programming Language)", rahul),
    ("2021/08/09 06:30:29 UTC", "Amazon Web Services (AWS)", rahul),
    ("2023/04/25 11:58:02 UTC", "Python (Programming Language)", rahul),
    ("2020/06/30 17:21:44 UTC", "JavaScript", chiara),
    ("2020/06/30 17:22:05 UTC", "Data Visualisation", chiara),
    ("2024/04/08 19:37:16 UTC", "Consulting", chiara),
    ("2021/03/02 13:15:38 UTC", "JS", mai),
    ("2021/03/02 13:15:51 UTC", "SQL", mai),
    ("2025/10/14 08:03:27 UTC", "Leadership", mai),
    ("2022/01/24 21:49:00 UTC", "Financial Modelling", fatima),
    ("2022/01/24 21:49:13 UTC", "SQL", fatima),
    ("2026/08/19 10:27:42 UTC", "Team Leadership", fatima),
    ("2023/07/12 07:14:08 UTC", "Kubernetes", bjorn),
    ("2023/07/12 07:14:20 UTC", "Amazon Web Services (AWS)", bjorn),
    ("2026/05/26 16:50:33 UTC", "Python (Programming Language)", bjorn),
    ("2020/09/15 12:36:57 UTC", "Reserarch", diego),
    ("2022/11/29 23:08:19 UTC", "Machine Lerning", diego),
    ("2021/11/11 04:55:06 UTC", "Python", aroha),
    ("2024/06/20 22:41:30 UTC", "Machine Learning", aroha),
    ("2023/09/07 01:29:45 UTC", "K8s", jiahui),
    ("2023/09/07 01:29:58 UTC", "AWS", jiahui),
    ("2023/09/07 01:30:10 UTC", "Python", jiahui),
    ("2025/04/03 06:16:22 UTC", "Machine Learning", jiahui),
    ("2022/03/16 15:44:51 UTC", "Public Speaking", siobhan),
    ("2022/03/16 15:45:07 UTC", "Stakeholders Management", siobhan),
    ("2026/10/28 09:52:36 UTC", "AWS", siobhan),
    ("2020/12/01 18:19:24 UTC", "project management", hamid),
    ("2024/02/13 10:07:59 UTC", "SQL", hamid),
]

CONNECTIONS: list[tuple[Person, str, str, str]] = [
    (zanele, "Umhlaba Energy", "Head of Data", "02 Nov 2026"),
    (oskar, "Fjordline Logistics AB", "Site Reliability Engineer", "14 Sep 2026"),
    (hyejin, "Kestrel Data Systems, Inc.", "Product Designer", "21 Jul 2026"),
    (ravi, "Copperleaf Health", "Engineering Manager", "09 Apr 2026"),
    (mateo, "Brightwater Labs", "Data Scientist", "30 Jan 2026"),
    (ana, "Atlântico Seguros", "Actuarial Analyst", "12 Aug 2025"),
    (lukas, "Kestrel Data Systems, Inc.", "Backend Engineer", "03 Mar 2025"),
    (samira, "Cedar & Vine Consulting", "Senior Consultant", "18 Oct 2024"),
    (emeka, "Lagos Fintech Collective", "CTO", "27 May 2024"),
    (nadia, "Copperleaf Health", "Product Manager", "06 Feb 2024"),
    (bjorn, "Fjordline Logistics AB", "Cloud Architect", "29 Jun 2023"),
    (jiahui, "Kestrel Data Systems, Inc.", "Machine Learning Engineer", "15 Aug 2023"),
    (liesel, "Halcyon Partners", "Programme Director", "11 Jan 2020"),
    (fatima, "Gulf Horizon Capital", "Financial Analyst", "05 Dec 2021"),
    (aroha, "Te Awa Analytics", "Data Engineer", "22 Oct 2021"),
    (kenji, "Brightwater Labs", "Staff Platform Engineer", "02 Sep 2022"),
    (mai, "Brightwater Labs", "Frontend Engineer", "14 Feb 2021"),
    (grzegorz, "Wisła Software", "Principal C++ Developer", "19 Aug 2019"),
    (siobhan, "Halcyon Partners", "Partner, Public Sector", "10 Mar 2022"),
    (seun, "Lagos Fintech Collective", "Growth Marketing Lead", "08 Jun 2021"),
    (chiara, "Studio Moretti, Design & Code", "Founder", "23 Jun 2020"),
    (mehmet, "Anatolia Cloud", "DevOps Engineer", "04 Jan 2021"),
    (sofia, "Brightwater Labs", "UX Lead", "28 Oct 2019"),
    (rahul, "Halcyon Partners", "Data Analytics Manager", "12 Jun 2019"),
    (adaeze, "Halcyon Partners", "Engagement Manager", "25 Feb 2019"),
]

ME = "Jordan Avery"
ME_URL = "https://www.linkedin.com/in/jordan-avery-3e91c0"


def _url(person: Person) -> str | None:
    """Return the https profile URL of a person, as Invitations.csv writes it."""
    return f"https://www.linkedin.com/in/{person.slug}" if person.slug else None


def _invite(
    when: str, other: Person, direction: str, message: str = ""
) -> tuple[str, str, str, str, str, str | None, str | None]:
    """Return one Invitations.csv row between the member and `other`."""
    name = f"{other.first} {other.last}".strip()
    if direction == "INCOMING":
        return (name, ME, when, message, direction, _url(other), ME_URL)
    return (ME, name, when, message, direction, ME_URL, _url(other))


INVITATIONS = [
    _invite("11/17/26, 8:12 AM", Person("Thandiwe", "Mokoena", "thandiwe-mokoena-77e0b2"), "INCOMING"),
    _invite("11/9/26, 6:45 PM", Person("Farhan", "Qureshi", "farhanqureshi"), "INCOMING"),
    _invite(
        "10/30/26, 10:03 AM",
        tamar,
        "OUTGOING",
        "Hi Tamar, we lost our connection somewhere along the way. Would be good to reconnect!",
    ),
    _invite("10/21/26, 2:37 PM", Person("Ilse", "Vermeulen", "ilse-vermeulen-4a8c15"), "INCOMING"),
    _invite(
        "9/28/26, 9:15 PM",
        Person("Kofi", "Mensah", "kofi-mensah-b02e69"),
        "INCOMING",
        "Hello Jordan, I enjoyed your talk on Kubernetes cost control at KubeCon. Let's connect.",
    ),
    _invite("9/3/26, 7:58 AM", Person("Valentina", "Rojas", "valentina-rojas-31d7f0"), "OUTGOING"),
    _invite("8/14/26, 4:20 PM", Person("Arjun", "Malhotra", "arjun-malhotra-e5c942"), "INCOMING"),
    _invite("7/2/26, 11:11 AM", Person("Noor", "Al-Hashimi", "noor-alhashimi"), "INCOMING"),
    _invite(
        "6/19/26, 1:46 PM",
        Person("Pieter", "de Vries", "pieter-de-vries-8f13a7"),
        "OUTGOING",
        "Pieter, thanks for the chat about SQL query plans today, happy to share the notes.",
    ),
    _invite("5/27/26, 5:05 PM", Person("Megan", "O'Brien", "megan-obrien-2d6e80"), "INCOMING"),
    _invite("4/8/26, 9:30 AM", Person("Sione", "Tupou", "sione-tupou-c47b19"), "INCOMING"),
    _invite("2/16/26, 3:22 PM", Person("Yara", "Haddad", "yara-haddad-0e95d4"), "OUTGOING"),
]

GIVEN: list[tuple[str, str, Person, str]] = [
    ("2026/09/30 18:44:02 UTC", "Site Reliability Engineering", oskar, "ACCEPTED"),
    ("2025/06/11 07:20:39 UTC", "Machine Learning", jiahui, "ACCEPTED"),
    ("2024/11/05 12:03:15 UTC", "Terraform", bjorn, "PENDING"),
    ("2023/12/19 20:37:48 UTC", "Product Design", hyejin, "PENDING"),
    ("2022/08/23 09:12:51 UTC", "Financial Modeling", fatima, "ACCEPTED"),
    ("2021/05/06 14:58:27 UTC", "User Experience (UX)", sofia, "ACCEPTED"),
    ("2020/02/24 10:41:06 UTC", "Go (Programming Language)", mehmet, "PENDING"),
    ("2019/07/01 16:26:33 UTC", "Data Analysis", rahul, "ACCEPTED"),
]

ME_PERSON = Person("Jordan", "Avery", "jordan-avery-3e91c0")
THANDIWE = Person("Thandiwe", "Mokoena", "thandiwe-mokoena-77e0b2")  # a recruiter, not a connection

# messages.csv (2026: every field quoted). Only who and when is read; the made-up text is there so that
# the reader has to get past commas, quotes, line breaks and emoji.
MESSAGES = [
    Message("2-a2Vuamk=", kenji, [ME_PERSON], "2022-09-14 03:25:02 UTC", "Congrats on the talk!\nSlides, please? 🙏"),
    Message("2-a2Vuamk=", ME_PERSON, [kenji], "2022-09-14 07:41:55 UTC", 'Sure, here: "k8s-costs.pdf", v2'),
    Message(
        "2-YnJpZ2h0d2F0ZXI=",
        mai,
        [ME_PERSON, sofia, chiara],
        "2023-03-30 16:02:10 UTC",
        'Farewell lunch for Jordan, Friday 12:30, "the usual" place',
        title="Brightwater, farewell",
    ),
    Message("2-YnJpZ2h0d2F0ZXI=", sofia, [ME_PERSON, mai, chiara], "2023-03-30 16:05:44 UTC", "I'm in 🎉"),
    Message(
        "2-bGllc2Vs", liesel, [ME_PERSON], "2026-03-12 13:10:21 UTC", "Endorsed you for leadership, hope that's ok"
    ),
    Message(
        "2-dGhhbmRpd2U=",
        THANDIWE,
        [ME_PERSON],
        "2026-11-17 08:15:00 UTC",
        'Hi Jordan,\n\nAn exciting opportunity, 100% remote, "rockstar" team...',
        subject="Opportunity",
    ),
    Message("2-b3NrYXI=", ME_PERSON, [oskar], "2026-09-30 18:50:00 UTC", "Thanks for the SRE tips, let's", draft=True),
]

RECOMMENDATIONS_RECEIVED = [
    Recommendation(
        adaeze, "Halcyon Partners", "Engagement Manager", "Jordan ran our data work, calmly.", "03/02/20, 10:14 AM"
    ),
]
RECOMMENDATIONS_GIVEN = [
    Recommendation(
        rahul, "Halcyon Partners", "Data Analytics Manager", "Rahul's SQL is a joy,\nreally.", "07/01/19, 04:26 PM"
    ),
]

PROFILE = (
    "Jordan",
    "Avery",
    "Platform Engineering Lead | Python, Kubernetes, AWS | Team Leadership",
    (
        "I lead a small platform team that keeps 200 services running on Kubernetes and AWS.\n"
        "Day to day: Python tooling, Docker images, SQL reporting, and a lot of stakeholder management.\n"
        "I care about leadership that makes on-call boring."
    ),
)

POSITIONS: list[tuple[str, ...]] = [
    (
        "Kestrel Data Systems, Inc.",
        "Platform Engineering Lead",
        (
            "Lead a team of six running Kubernetes and Docker on AWS. Python tooling, SQL cost reports, "
            "stakeholder management with product and finance."
        ),
        "Rotterdam, South Holland, Netherlands",
        "Apr 2023",
        "",
    ),
    (
        "Brightwater Labs",
        "Senior Software Engineer",
        (
            "Built JavaScript and CSS3 front ends and Python APIs; introduced machine learning for demand "
            "forecasting and data visualization dashboards."
        ),
        "Amsterdam, North Holland, Netherlands",
        "Jan 2020",
        "Mar 2023",
    ),
    (
        "Halcyon Partners",
        "Business Analyst",
        (
            "Financial modeling and project management on management consulting engagements; presented "
            "findings to client boards."
        ),
        "London, England, United Kingdom",
        "Sep 2016",
        "Dec 2019",
    ),
]


def sample_spec() -> ExportSpec:
    """Return the demo export's spec, endorsements newest first."""
    received = [Row(date, skill, person) for date, skill, person in ENDORSEMENTS]
    received.sort(key=lambda r: r.date, reverse=True)  # stable: bulk rows keep their order
    connections = sorted(CONNECTIONS, key=lambda c: _sort_key(c[3]), reverse=True)
    return ExportSpec(
        skills=list(SKILLS),
        received=received,
        given=list(GIVEN),
        connections=connections,
        hidden_connections=2,
        invitations=list(INVITATIONS),
        profile=PROFILE,
        positions=list(POSITIONS),
        messages=list(MESSAGES),
        recommendations_received=list(RECOMMENDATIONS_RECEIVED),
        recommendations_given=list(RECOMMENDATIONS_GIVEN),
    )


def _sort_key(connected_on: str) -> tuple[int, int, int]:
    """Return (year, month, day) for a "08 Feb 2024" date."""
    day, mon, year = connected_on.split()
    return int(year), factory.MONTHS.index(mon) + 1, int(day)


def main() -> None:
    """Write the sample zip and the example config."""
    SAMPLE_DIR.mkdir(exist_ok=True)
    path = factory.write_zip(sample_spec(), SAMPLE_DIR / ZIP_NAME, fixed_time=ZIP_TIME)
    (SAMPLE_DIR / "endorse-audit.toml").write_text(CONFIG_TEXT, encoding="utf-8", newline="\n")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
