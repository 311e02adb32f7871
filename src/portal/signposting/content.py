"""What the "Worried about someone?" flow asks and what it says back.

Everything here is written in our own words from the vetted resources (their `facts` and the pages they
link to) and contacts; each sign names the resource it comes from by slug. No statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str = ""


# Step 1.
DANGER_CHOICES = [Choice("yes", "Yes"), Choice("no", "No")]

# Step 2: who. `audiences` are the resource audiences that fit someone worried about them.
WHO_CHOICES = [
    Choice("child", "A child (under 13)"),
    Choice("young-person", "A young person (13 to 17)"),
    Choice("adult", "An adult (18 or over)"),
    Choice("myself", "Myself"),
]
WHO_AUDIENCES = {
    "child": ["parents-and-carers", "community-groups"],
    "young-person": ["parents-and-carers", "young-people", "community-groups"],
    "adult": ["community-groups"],
    "myself": ["young-people", "community-groups"],
}
# How the result page's heading names them.
WHO_WORDS = {
    "child": "a child",
    "young-person": "a young person",
    "adult": "an adult",
    "myself": "yourself",
}

# Step 3: what worries you. `topics` are resource topic slugs.
CONCERN_CHOICES = [
    Choice("knife", "Carrying a knife or weapon"),
    Choice("exploitation", "Being exploited, county lines, or involved with older people or gangs"),
    Choice("domestic-abuse", "Domestic abuse at home"),
    Choice("sexual-violence", "Sexual violence or abuse"),
    Choice("bullying", "Being bullied, threatened or attacked"),
    Choice("alcohol-drugs", "Alcohol or drugs and violence"),
    Choice("hate-crime", "Hate crime"),
    Choice("other", "Something else"),
]
CONCERN_TOPICS = {
    "knife": ["knife-crime"],
    "exploitation": ["county-lines", "modern-slavery"],
    "domestic-abuse": ["domestic-abuse"],
    "sexual-violence": ["sexual-violence"],
    "bullying": ["youth-violence"],
    "alcohol-drugs": ["night-time-economy"],
    "hate-crime": ["hate-crime"],
    "other": ["general"],
}


@dataclass(frozen=True)
class Point:
    """One thing to look out for or to do, and the resource (slug) it comes from."""

    text: str
    resource: str = ""
    who: tuple[str, ...] = ()  # only for these answers to "who"; empty means for everyone


@dataclass(frozen=True)
class ConcernAdvice:
    heading: str
    signs: list[Point] = field(default_factory=list)
    actions: list[Point] = field(default_factory=list)


YOUNG = ("child", "young-person")

ADVICE = {
    "knife": ConcernAdvice(
        heading="Carrying a knife or weapon",
        signs=[
            Point(
                "Saying they need a knife to protect themselves. Many young people believe this, but a knife does "
                "not keep them safe.",
                "knife-crime-choices-and-consequences-workshops",
            ),
            Point(
                "Saying that everyone carries one. Most young people do not carry a knife.",
                "knife-crime-advice-to-parents-from-avon-somerset-police",
            ),
            Point(
                "Not knowing what carrying a knife can lead to: people who carry one are more likely to end up in "
                "hospital with a violent injury, and it can mean prison even if the knife is never used, which "
                "affects their family and friends too.",
                "knifefree-campaign-summary",
            ),
        ],
        actions=[
            Point(
                "Talk to them. One of the most useful things to say is that carrying a knife is not normal among "
                "young people.",
                "knife-crime-advice-to-parents-from-avon-somerset-police",
            ),
            Point(
                "Avon and Somerset Police put out knife surrender bins during their knife crime operations, so a "
                "knife can be handed in.",
                "knife-crime-week-of-action-operation-sceptre-november-2024",
            ),
            Point(
                "If you know someone is carrying a knife, tell the police on 101, or tell Crimestoppers without "
                "giving your name. Young people can use Fearless to tell someone anonymously.",
                "a-quick-guide-to-crimestoppers",
            ),
        ],
    ),
    "exploitation": ConcernAdvice(
        heading="Being exploited, county lines, or involved with older people or gangs",
        signs=[
            Point(
                "Using words for going out of town to deliver drugs or money, such as 'going country', "
                "'going OT' or 'running a line'.",
                "protecting-children-from-county-lines",
                YOUNG + ("myself",),
            ),
            Point(
                "Being persuaded, pressured or forced to keep or carry drugs or money for other people. County "
                "lines exploitation is a form of child abuse.",
                "protecting-children-from-county-lines",
                YOUNG + ("myself",),
            ),
            Point(
                "Modern slavery can be hidden in everyday places such as car washes, nail bars, takeaways and "
                "people's homes.",
                "spot-the-signs-the-problem",
                ("adult", "myself"),
            ),
        ],
        actions=[
            Point(
                "Tell the police on 101 (999 in an emergency), or Crimestoppers without giving your name.",
                "a-quick-guide-to-crimestoppers",
            ),
            Point(
                "If you think someone is being exploited or held in modern slavery, call the Modern Slavery & "
                "Exploitation Helpline or report online. You can stay anonymous.",
                "modern-slavery-exploitation-helpline",
            ),
        ],
    ),
    "domestic-abuse": ConcernAdvice(
        heading="Domestic abuse at home",
        signs=[
            Point(
                "Domestic abuse is not only physical violence. It can be controlling, coercive or threatening "
                "behaviour, or psychological, sexual, financial or emotional abuse, by a partner, an ex-partner "
                "or a family member.",
                "domestic-abuse-provision-in-bath-north-east-somerset",
            ),
            Point(
                "Coercive control is domestic abuse in law, even when there is no violence.",
                "safeguarding-e-learning-domestic-abuse-chapter",
            ),
        ],
        actions=[
            Point(
                "Only ask someone about abuse when they are on their own and it is safe to talk.",
                "safeguarding-e-learning-domestic-abuse-chapter",
            ),
            Point(
                "Women can call the National Domestic Abuse Helpline free at any time, or ask online for a call "
                "back at a safe time.",
                "national-domestic-abuse-helpline-refuge-statement",
            ),
            Point(
                "If you are a friend, relative, neighbour or workmate, there is advice on how to help and how to "
                "look after yourself.",
                "domestic-abuse-a-resource-for-friends-and-family",
            ),
            Point(
                "Under Clare's Law you can ask the police, through 101, whether a partner has a history of abuse.",
                "domestic-violence-disclosure-scheme-clares-law",
            ),
        ],
    ),
    "sexual-violence": ConcernAdvice(
        heading="Sexual violence or abuse",
        signs=[
            Point(
                "Sexual violence includes sexual abuse and harassment, not only assault.",
                "247-rape-and-sexual-abuse-support-line-faqs",
            ),
            Point(
                "Drinks can be spiked. The AllSafe page lists the signs that someone may have been spiked.",
                "spiking-allsafe",
            ),
        ],
        actions=[
            Point(
                "If you think someone has been spiked: stay with them and people you trust, tell venue staff (you "
                "can ask for 'Angela'), get medical help, and report it on 101, or 999 in an emergency.",
                "spiking-allsafe",
            ),
            Point(
                "After rape or sexual assault in Avon and Somerset, The Bridge can help, including a forensic "
                "examination. It keeps samples so the person can decide later whether to report it, and they "
                "can refer themselves.",
                "the-bridge-signs-up-to-bristol-zero-tolerance",
                ("young-person", "adult", "myself"),
            ),
            Point(
                "Anyone aged 16 or over affected by sexual violence, and anyone supporting them, can use the "
                "24/7 Rape and Sexual Abuse Support Line by phone or online chat.",
                "247-rape-and-sexual-abuse-support-line-faqs",
                ("young-person", "adult", "myself"),
            ),
        ],
    ),
    "bullying": ConcernAdvice(
        heading="Being bullied, threatened or attacked",
        signs=[],
        actions=[
            Point(
                "Anyone affected by crime, including threats and attacks, can get free, confidential support "
                "from Victim Support at any time, whether or not they told the police.",
                "victim-support-247-supportline",
            ),
            Point(
                "Children and young people under 19 can talk to Childline about any worry, in private.",
                "about-childline",
                YOUNG + ("myself",),
            ),
            Point(
                "Report threats or an attack to the police on 101, or 999 if someone is in danger now.",
            ),
        ],
    ),
    "alcohol-drugs": ConcernAdvice(
        heading="Alcohol or drugs and violence",
        signs=[
            Point(
                "Drinks can be spiked. The AllSafe page lists the signs that someone may have been spiked, and "
                "what to do: stay with people you trust, tell venue staff, get medical help and report it.",
                "spiking-allsafe",
            ),
        ],
        actions=[
            Point(
                "On a Friday or Saturday night in Bath city centre, the Safe Bus offers first aid, someone to "
                "talk to and a safe place to wait.",
                "new-bath-safe-bus-to-improve-safety-at-night",
                ("young-person", "adult", "myself"),
            ),
            Point(
                "Bath Street Pastors are out at night to look after people who are vulnerable and help them get "
                "home safely.",
                "bath-street-pastors",
                ("young-person", "adult", "myself"),
            ),
            Point("If someone is hurt or in danger, call 999."),
        ],
    ),
    "hate-crime": ConcernAdvice(
        heading="Hate crime",
        signs=[
            Point(
                "A hate crime is a crime against someone because of who they are, or who the offender thinks "
                "they are: their race, religion, disability, sexual orientation or gender.",
                "national-hate-crime-awareness-week",
            ),
            Point(
                "It can be verbal abuse, threats, attacks, bullying online, hate mail, or damage to property.",
                "hate-crime-reporting-and-support",
            ),
        ],
        actions=[
            Point(
                "Report it to Avon and Somerset Police online or on 101, or 999 in an emergency.",
                "national-hate-crime-awareness-week",
            ),
            Point(
                "If you would rather not go to the police, SARI supports victims of hate crime in B&NES.",
                "hate-crime-reporting-and-support",
            ),
            Point(
                "True Vision has a secure online form that sends a hate crime report to the right police force.",
                "true-vision-hate-crime-reporting",
            ),
        ],
    ),
    "other": ConcernAdvice(
        heading="Something else",
        signs=[
            Point(
                "An adult with care and support needs can be abused or neglected in many ways; the B&NES "
                "safeguarding partnership explains who counts as an adult at risk.",
                "what-is-safeguarding-adults",
                ("adult",),
            ),
        ],
        actions=[
            Point(
                "Anyone affected by crime can get free, confidential support from Victim Support at any time.",
                "victim-support-247-supportline",
            ),
            Point("Tell the police on 101 about a crime when no one is in immediate danger."),
        ],
    ),
}

# Said first on the result page, for each answer to "who".
WHO_ACTIONS = {
    "child": [
        Point(
            "If you think a child is being harmed or is at risk, tell B&NES children's social care (the "
            "contacts are below). The safeguarding partnership explains what they will ask you and what happens "
            "next.",
            "reporting-child-abuse",
        ),
        Point(
            "You can also talk to an NSPCC counsellor, who can pass your concerns on. You do not have to give "
            "your name.",
            "report-abuse-nspcc-helpline",
        ),
    ],
    "adult": [
        Point(
            "If an adult with care and support needs is being abused or neglected, the B&NES safeguarding "
            "partnership explains who counts as an adult at risk and what to do.",
            "what-is-safeguarding-adults",
        ),
    ],
    "myself": [
        Point(
            "You do not have to deal with this on your own. The contacts below will listen, in confidence. "
            "Victim Support helps anyone affected by crime, whether or not it was reported.",
            "victim-support-247-supportline",
        ),
    ],
}
WHO_ACTIONS["young-person"] = [
    *WHO_ACTIONS["child"],
    Point(
        "Young people under 19 can talk to Childline themselves, about anything.",
        "about-childline",
    ),
]

# National contacts (keys in seed/contacts.csv) for each answer, in the order they are shown.
CONTACT_ORDER = [
    "nspcc",
    "childline",
    "fearless",
    "national-domestic-abuse-helpline",
    "mens-advice-line",
    "rape-sexual-abuse-support-line",
    "modern-slavery-helpline",
    "crimestoppers",
    "clares-law",
    "victim-support",
    "samaritans",
    "police-101",
]
WHO_CONTACTS = {
    "child": ["nspcc", "childline"],
    "young-person": ["nspcc", "childline"],
    "adult": [],
    "myself": ["childline", "samaritans", "victim-support"],
}
CONCERN_CONTACTS = {
    "knife": ["crimestoppers", "fearless", "police-101"],
    "exploitation": ["modern-slavery-helpline", "crimestoppers", "fearless", "police-101"],
    "domestic-abuse": ["national-domestic-abuse-helpline", "mens-advice-line", "clares-law"],
    "sexual-violence": ["rape-sexual-abuse-support-line"],
    "bullying": ["victim-support", "police-101"],
    "alcohol-drugs": ["police-101", "crimestoppers"],
    "hate-crime": ["police-101", "victim-support"],
    "other": ["victim-support", "police-101"],
}
# Fearless is for young people; the 24/7 support line is for people aged 16 or over.
CONTACTS_NOT_FOR = {
    "fearless": {"adult"},
    "rape-sexual-abuse-support-line": {"child"},
}


def label_of(choices: list[Choice], value: str) -> str:
    return next((choice.label for choice in choices if choice.value == value), value)
