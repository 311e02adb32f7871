"""What the "Worried about someone?" flow asks and what it says back.

The signs and steps are the VRU's own wording from the vetted signs and steps (seed/signs.md, an exact copy of
../shared/reference/signs.md). Each names its sources by the short codes signs.md uses ([CS], [NP], ...);
`portal.signposting.sources` reads the publisher, title and address of each code from that file. A step can
also name contacts (keys in seed/contacts_fit.csv), shown with their numbers, and resources (slugs). No
statistics.
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

# Step 2: who is asking. Decides which steps come first and the order of the contacts.
ROLE_CHOICES = [
    Choice(
        "professional",
        "I work or volunteer with people, for example in a school, youth club, health service, charity or the police",
    ),
    Choice("parent", "I am a parent or carer"),
    Choice("young-person", "I am a young person (under 18)"),
    Choice("someone-else", "Someone else, for example a friend, relative or neighbour"),
]

# Step 3: who is at risk. "myself" takes its age from the answer to step 2.
WHO_CHOICES = [
    Choice("child", "A child (under 13)"),
    Choice("young-person", "A young person (13 to 17)"),
    Choice("adult", "An adult (18 or over)"),
    Choice("myself", "Myself"),
]
# The ages a contact or step can be for (the person at risk).
AGE_CHOICES = [Choice("child", "Under 13"), Choice("young-person", "13 to 17"), Choice("adult", "18 or over")]
# Who a contact is for: the person at risk themselves, or someone worried about them.
ASKER_CHOICES = [Choice("self", "The person at risk themselves"), Choice("other", "Someone worried about them")]
# What kind of contact: decides the order they are shown in (portal.signposting.ordering).
KIND_CHOICES = [
    Choice("emergency", "Emergency"),
    Choice("crisis", "Crisis line (open at any time)"),
    Choice("statutory", "Local statutory route (social care, safeguarding)"),
    Choice("police", "Police (not an emergency)"),
    Choice("helpline", "Helpline"),
    Choice("report", "Report anonymously"),
    Choice("support", "Support service"),
]

# The resource audiences that fit someone in each role (for the resources list on the result page).
ROLE_AUDIENCES = {
    "professional": ["professionals"],
    "parent": ["parents-and-carers"],
    "young-person": ["young-people"],
    "someone-else": ["community-groups", "adults"],
}
# How the result page's heading names them.
WHO_WORDS = {
    "child": "a child",
    "young-person": "a young person",
    "adult": "an adult",
    "myself": "yourself",
}

# Step 4: what worries you. `topics` are resource topic slugs.
CONCERN_CHOICES = [
    Choice("knife", "Carrying a knife or weapon"),
    Choice("exploitation", "Being exploited, county lines, or involved with older people or gangs"),
    Choice("domestic-abuse", "Domestic abuse at home or in a relationship"),
    Choice("sexual-violence", "Sexual violence, sexual abuse or sexual exploitation"),
    Choice("missing", "Going missing or running away"),
    Choice("bullying", "Being bullied, threatened or attacked"),
    Choice("alcohol-drugs", "Alcohol or drugs"),
    Choice("hate-crime", "Hate crime"),
    Choice("other", "Something else"),
]
CONCERN_TOPICS = {
    "knife": ["knife-crime"],
    "exploitation": ["county-lines", "modern-slavery"],
    "domestic-abuse": ["domestic-abuse"],
    "sexual-violence": ["sexual-violence", "child-sexual-exploitation"],
    "missing": ["missing-children"],
    "bullying": ["youth-violence"],
    "alcohol-drugs": ["drugs-and-alcohol"],
    "hate-crime": ["hate-crime"],
    "other": ["general"],
}

YOUNG = ("child", "young-person")


@dataclass(frozen=True)
class Point:
    """One sign to look out for or one step to take, with where it comes from."""

    text: str
    sources: tuple[str, ...] = ()  # codes in signs.md
    contacts: tuple[str, ...] = ()  # contact keys, shown with their numbers
    resources: tuple[str, ...] = ()  # resource slugs, linked
    ages: tuple[str, ...] = ()  # only when the person at risk is this age; empty means any age


@dataclass(frozen=True)
class ConcernAdvice:
    heading: str
    about: str = ""  # what it is, in a sentence or two
    signs: list[Point] = field(default_factory=list)
    # Steps for each role; "someone-else" also serves parents when there is no parents' list.
    steps: dict[str, list[Point]] = field(default_factory=dict)

    def steps_for(self, role: str) -> list[Point]:
        fallback = "parent" if role == "someone-else" else "someone-else"
        return self.steps.get(role) or self.steps.get(fallback) or []


CHILDRENS_SOCIAL_CARE = ("banes-childrens-social-care", "banes-emergency-duty-team")
TELL_THE_DSL = Point(
    "Tell your designated safeguarding lead (DSL), or your organisation's named safeguarding lead, the same day, "
    "and follow your own child protection procedure. In schools and colleges, Keeping children safe in "
    "education requires this.",
    resources=("keeping-children-safe-in-education",),
)
WHAT_TO_RECORD = Point(
    "Write down what you saw and heard, using the child's own words, with the date and time.",
)
NRM = Point(
    "Consider a National Referral Mechanism (NRM) referral: exploitation can amount to modern slavery or "
    "trafficking. Only a first responder organisation (for example the council, the police and some named "
    "charities) can refer. If you are not in one, make sure children's social care or the police know. An NRM "
    "referral does not replace a child protection referral: do both.",
    sources=("HO",),
    contacts=("modern-slavery-helpline",),
    resources=(
        "national-referral-mechanism-guidance-for-child-first-responders",
        "modern-slavery-national-referral-mechanism-and-duty-to-notify",
    ),
)

# Points said in more than one place: the flow's results and the pages for parents and carers and for young
# people (portal.signposting.views), so the wording and its sources are kept once.
CHILD_MISSING_CALL_THE_POLICE = Point(
    "If your child is missing, call the police straight away: 999 if you think they are in "
    "danger, otherwise 101. You do not have to wait 24 hours. Report it every time they go "
    "missing, and tell the call handler if you are worried about exploitation.",
    ("IT",),
    contacts=("emergency-999", "police-101"),
    resources=("if-your-child-is-missing",),
)
MISSING_PEOPLE_FOR_FAMILIES = Point(
    "Missing People offers free, confidential support, day and night.",
    contacts=("missing-people",),
)
KEEP_TALKING_STAY_CALM = Point(
    "Keep talking to your child and stay calm. Let them know you are on their side, and that they "
    "can get out of it even if they think they owe someone money.",
    ("NP",),
    resources=("county-lines-advice-for-parents",),
)
WRITE_DOWN_WHAT_YOU_NOTICE = Point(
    "Write down what you notice: dates, names, nicknames, phone numbers and vehicles. Pass it to "
    "the police on 101, or anonymously to Crimestoppers.",
    contacts=("police-101", "crimestoppers"),
)
GET_ADVICE_ABOUT_YOUR_CHILD = Point(
    "Get advice: the NSPCC Helpline, your child's school (ask for the designated safeguarding "
    "lead), or B&NES children's social care.",
    contacts=("nspcc", "banes-childrens-social-care"),
)
TELL_YOUR_CHILD_ABOUT_CHILDLINE_AND_FEARLESS = Point(
    "Tell your child about Childline and Fearless. Both are places they can go without you.",
    contacts=("childline", "fearless"),
)
OFFERS_ARE_A_TRAP = Point(
    "If someone offers you money, gifts or a 'job' carrying packages, it is a trap. Gangs set up "
    "fake debts, even robberies, so you feel you owe them.",
    ("BTP",),
    resources=("dont-take-the-bait-county-lines",),
)
NOT_IN_TROUBLE_FOR_BEING_EXPLOITED = Point(
    "You are not in trouble for being exploited, and you can get out even if you think you owe someone money.",
    ("NP",),
)
STAY_ALERT_TO_WHERE_THEY_GO = Point(
    "Stay alert to where your child goes outside school, who they spend time with, and any "
    "worrying changes in behaviour.",
    ("ASK",),
)
TALK_ABOUT_KNIVES_CALMLY = Point(
    "Talk, calmly and more than once. Pick a relaxed moment; a news story can help you start. "
    "Listen more than you talk, and try to find out why they feel they need a knife.",
    ("LP10", "KF"),
    resources=("talking-to-a-young-person-about-knives-10-step-guide",),
)
EXPLAIN_A_KNIFE_DOES_NOT_PROTECT = Point(
    "Explain that a knife does not protect them: it makes them more likely to be hurt, and "
    "carrying one is against the law. Self-defence is not a legal excuse. Remind them that most "
    "young people do not carry, and that walking away is the brave and smart choice.",
    ("LPS", "LPM", "KF"),
)
A_KNIFE_DOES_NOT_KEEP_YOU_SAFE = Point(
    "Carrying a knife does not keep you safe: it makes you more likely to be hurt, and it is "
    "against the law even if you say it is for self-defence.",
    ("LPM", "LPS"),
    resources=("busting-the-myths-about-knives",),
)
MOST_YOUNG_PEOPLE_DO_NOT_CARRY = Point("Most young people do not carry a knife.", ("LP10",))
TELL_FEARLESS_ABOUT_A_KNIFE = Point(
    "If you know someone is carrying, you can tell Fearless without giving your name, or talk to Childline.",
    contacts=("fearless", "childline"),
)
TALK_ABOUT_RELATIONSHIPS = Point(
    "Talk with your child about the difference between healthy and unhealthy relationships, and "
    "about who they talk to online.",
    ("HCC",),
    ages=YOUNG,
)
NEVER_YOUR_FAULT = Point(
    "It is never your fault. You can talk to Childline about anything, any time.",
    contacts=("childline",),
)
REPORT_REMOVE_FOR_YOU = Point(
    "If a nude image of you has been shared online, Report Remove can help get it taken down.",
    ("CEOP",),
    resources=("report-remove-getting-nude-images-taken-down",),
)
WHAT_HAPPENS_AFTER_YOU_CALL = Point(
    "When you call B&NES children's social care, they listen to your worry, gather information, may ask a "
    "social worker to assess, and then decide what happens next. You can ask what will happen.",
    resources=("reporting-child-abuse-and-what-happens-next", "child-abuse-if-you-think-it-report-it"),
    ages=YOUNG,
)

ADVICE = {
    "exploitation": ConcernAdvice(
        heading="Child criminal exploitation (CCE), county lines and gangs",
        about=(
            "Children who are exploited are victims, even if they seem to go along with it, are paid, or are "
            "committing crimes. Respond with care, not blame. Not every group of young people is a gang, and "
            "being in a group is not a crime."
        ),
        signs=[
            Point(
                "Goes missing from home or school, won't say where they have been, or turns up in places they "
                "have no link to",
                ("MC",),
            ),
            Point("Travels on their own, especially during school hours, late at night or often", ("CS",)),
            Point("Has more than one phone, gets a lot of calls or messages, or has several SIM cards", ("CS", "MC")),
            Point("Has cash, new clothes, phones or gifts that can't be explained", ("CS", "NP", "MC")),
            Point(
                "Talks about owing someone money. Groomers invent debts that a child has to work off by "
                "committing crimes",
                ("NP", "BTP"),
            ),
            Point(
                "Has new friends or relationships with older or controlling people, and drops their usual friends",
                ("MC",),
            ),
            Point("Gets picked up in cars by people you don't know", ("THU",)),
            Point("Seems anxious, frightened or angry, or under the influence of drugs or alcohol", ("CS",)),
            Point("Attends school less, gets worse results, or is excluded", ("MC",)),
            Point("Has injuries they can't or won't explain", ("MC",)),
            Point(
                "Uses county lines slang, for example 'going country', 'going OT' or 'running a line'",
                ("NL",),
            ),
        ],
        steps={
            "professional": [
                Point("Immediate danger: call 999.", ("NL",), contacts=("emergency-999",)),
                TELL_THE_DSL,
                WHAT_TO_RECORD,
                Point(
                    "Refer to B&NES children's social care. If a child from another area is found in B&NES, or a "
                    "B&NES child is found elsewhere, children's services in both areas need to know.",
                    ("NL",),
                    contacts=CHILDRENS_SOCIAL_CARE,
                    resources=("reporting-child-abuse-and-what-happens-next",),
                ),
                Point("Tell the police what you know on 101 (999 if there is danger).", contacts=("police-101",)),
                NRM,
                Point(
                    "Use the local guidance: the B&NES Youth at Risk Strategy and its one-minute guides.",
                    resources=("youth-at-risk-strategy-and-one-minute-guides",),
                ),
            ],
            "parent": [
                Point(
                    "If your child is missing, call the police straight away: 999 if you think they are in "
                    "danger, otherwise 101. You do not have to wait 24 hours. Tell the call handler you are "
                    "worried about exploitation.",
                    ("IT",),
                    resources=("if-your-child-is-missing",),
                ),
                KEEP_TALKING_STAY_CALM,
                WRITE_DOWN_WHAT_YOU_NOTICE,
                GET_ADVICE_ABOUT_YOUR_CHILD,
                TELL_YOUR_CHILD_ABOUT_CHILDLINE_AND_FEARLESS,
            ],
            "young-person": [
                OFFERS_ARE_A_TRAP,
                NOT_IN_TROUBLE_FOR_BEING_EXPLOITED,
                Point(
                    "Talk to Childline about anything, any time, or tell Fearless without giving your name.",
                    contacts=("childline", "fearless"),
                ),
                Point("If you are in danger now, call 999.", contacts=("emergency-999",)),
            ],
            "someone-else": [
                Point(
                    "Pass on what you know to the police on 101, or anonymously to Crimestoppers. If you think "
                    "someone is being forced to work or is trafficked, call the Modern Slavery & Exploitation "
                    "Helpline.",
                    contacts=("police-101", "crimestoppers", "modern-slavery-helpline"),
                ),
                Point(
                    "Exploitation is often noticed at train and bus stations, fast food outlets, hotels, salons, "
                    "car washes, and online.",
                    ("CS",),
                    resources=("spotting-the-signs-of-child-exploitation-lookcloser",),
                ),
            ],
        },
    ),
    "knife": ConcernAdvice(
        heading="Carrying a knife or weapon",
        about=(
            "Young people who carry a knife usually do so because they feel unsafe or because of pressure from "
            "friends. Most young people do not carry knives."
        ),
        signs=[
            Point(
                "Is protective or secretive about their bag, pockets or clothing, or gets defensive when asked "
                "about their things",
                ("LPS", "EC"),
            ),
            Point("Has new friends you haven't met", ("LPS",)),
            Point("Goes out more, especially in the evening and at night, or leaves the house suddenly", ("LPS",)),
            Point("Is secretive about who is contacting them, or has more than one phone", ("LPS", "EC")),
            Point("Their attitude to school changes; they skip school or go missing", ("LPS", "EC")),
            Point("Talks approvingly about carrying a knife, for example 'for self-defence'", ("LPS",)),
            Point(
                "Kitchen knives, screwdrivers or other things that could be used as weapons go missing from home",
                ("LPS",),
            ),
            Point("Seems scared to go out or avoids certain places", ("EC",)),
            Point("Has marks or injuries they are secretive about", ("EC",)),
        ],
        steps={
            "professional": [
                Point(
                    "Immediate danger, or a weapon is seen: call 999, and follow your organisation's procedure.",
                    contacts=("emergency-999",),
                ),
                TELL_THE_DSL,
                Point(
                    "Consider whether the young person is a victim: are they being threatened, bullied or "
                    "exploited? If they are at risk of harm, refer to B&NES children's social care.",
                    contacts=CHILDRENS_SOCIAL_CARE,
                ),
                Point("Share information with the police on 101.", contacts=("police-101",)),
                Point(
                    "For prevention work, the #knifefree lesson plans cover key stages 3 and 4. Avoid scare "
                    "tactics: trying to shock children away from violence can do harm.",
                    ("KF", "YEF"),
                    resources=(
                        "worried-about-a-young-person-knifefree",
                        "three-insights-from-the-youth-endowment-fund-toolkit",
                    ),
                ),
            ],
            "parent": [
                STAY_ALERT_TO_WHERE_THEY_GO,
                TALK_ABOUT_KNIVES_CALMLY,
                EXPLAIN_A_KNIFE_DOES_NOT_PROTECT,
                Point(
                    "If you think your child or someone else is carrying, contact the police on 101, or 999 if "
                    "there is immediate danger. You can also tell Crimestoppers anonymously.",
                    contacts=("police-101", "crimestoppers"),
                ),
                Point(
                    "Let them know they can report anonymously to Fearless or talk to Childline.",
                    contacts=("fearless", "childline"),
                ),
                Point("If carrying seems linked to fear, debts or older friends, it may be exploitation."),
            ],
            "young-person": [
                A_KNIFE_DOES_NOT_KEEP_YOU_SAFE,
                MOST_YOUNG_PEOPLE_DO_NOT_CARRY,
                TELL_FEARLESS_ABOUT_A_KNIFE,
                Point("If someone is in danger now, call 999.", contacts=("emergency-999",)),
            ],
        },
    ),
    "sexual-violence": ConcernAdvice(
        heading="Sexual violence, sexual abuse or sexual exploitation",
        about=(
            "Child sexual exploitation is when a child is persuaded or forced into sexual activity in exchange "
            "for something: gifts, drugs, money or affection. It can start online, and the child may believe they "
            "are in a loving relationship."
        ),
        signs=[
            Point("Goes missing, or often comes home late", ("HCC", "HGL"), ages=YOUNG),
            Point("Often misses school", ("HCC", "HGL"), ages=YOUNG),
            Point("Has gifts or new belongings they can't explain", ("HCC", "HGL"), ages=YOUNG),
            Point("Has an older boyfriend or girlfriend", ("HCC", "HGL"), ages=YOUNG),
            Point("Keeps secrets, or has mood swings", ("HCC", "HGL"), ages=YOUNG),
            Point("Is given alcohol or drugs, or invited to parties by people you don't know", ("HCC",), ages=YOUNG),
            Point(
                "Is being groomed online, or sexual images of them have been shared",
                ("HCC", "CEOP"),
                ages=YOUNG,
            ),
        ],
        steps={
            "professional": [
                Point("Immediate danger: call 999.", contacts=("emergency-999",)),
                Point(
                    "Tell your DSL and follow your child protection procedure. Refer to B&NES children's social care.",
                    contacts=CHILDRENS_SOCIAL_CARE,
                    ages=YOUNG,
                ),
                Point(
                    "To find out how to refer a young person at risk of child sexual exploitation in B&NES, "
                    "contact the Willow Project.",
                    contacts=("willow-project",),
                    resources=("youth-at-risk-strategy-and-one-minute-guides",),
                    ages=YOUNG,
                ),
                Point(
                    "Tell the police on 101. If a child may have been moved for sexual exploitation, consider "
                    "trafficking and an NRM referral.",
                    contacts=("police-101",),
                    resources=("national-referral-mechanism-guidance-for-child-first-responders",),
                    ages=YOUNG,
                ),
                Point(
                    "Do not copy, save or forward sexual images of a child, even to report them. Tell your DSL or "
                    "the police. Young people can use Report Remove to get images of themselves taken down.",
                    ("CEOP",),
                    resources=("report-remove-getting-nude-images-taken-down",),
                    ages=YOUNG,
                ),
                Point(
                    "After rape or sexual assault, a sexual assault referral centre gives free medical care and "
                    "support, with or without going to the police.",
                    contacts=("find-a-sarc",),
                ),
                Point(
                    "An adult at risk (for example with care and support needs): B&NES adult safeguarding.",
                    contacts=("banes-adult-safeguarding",),
                    ages=("adult",),
                ),
            ],
            "parent": [
                TALK_ABOUT_RELATIONSHIPS,
                Point(
                    "If they go missing, report it to the police every time (999 or 101), and say that you are "
                    "worried about exploitation.",
                    contacts=("police-101",),
                    ages=YOUNG,
                ),
                Point(
                    "For advice, call the NSPCC Helpline or B&NES children's social care.",
                    contacts=("nspcc", "banes-childrens-social-care"),
                    ages=YOUNG,
                ),
                Point(
                    "Tell your child about Childline and Report Remove.",
                    ("CEOP",),
                    contacts=("childline",),
                    resources=("report-remove-getting-nude-images-taken-down",),
                    ages=YOUNG,
                ),
                Point(
                    "After rape or sexual assault, a sexual assault referral centre gives free medical care and "
                    "support, with or without going to the police. Anyone aged 16 or over, and people "
                    "supporting them, can use the 24/7 Rape and Sexual Abuse Support Line.",
                    contacts=("find-a-sarc", "rape-sexual-abuse-support-line"),
                ),
            ],
            "young-person": [
                NEVER_YOUR_FAULT,
                REPORT_REMOVE_FOR_YOU,
                Point(
                    "After rape or sexual assault, a sexual assault referral centre can give you medical care and "
                    "support, whether or not you go to the police.",
                    contacts=("find-a-sarc",),
                ),
                Point("If you are in danger now, call 999.", contacts=("emergency-999",)),
            ],
            "someone-else": [
                Point(
                    "After rape or sexual assault, a sexual assault referral centre gives free medical care and "
                    "support, with or without going to the police.",
                    contacts=("find-a-sarc",),
                ),
                Point(
                    "Anyone aged 16 or over affected by sexual violence, and anyone supporting them, can use the "
                    "24/7 Rape and Sexual Abuse Support Line.",
                    contacts=("rape-sexual-abuse-support-line",),
                ),
                Point(
                    "If you are worried about a child, call the NSPCC Helpline or B&NES children's social care.",
                    contacts=("nspcc", "banes-childrens-social-care"),
                    ages=YOUNG,
                ),
            ],
        },
    ),
    "domestic-abuse": ConcernAdvice(
        heading="Domestic abuse",
        about=(
            "Abuse between people aged 16 or over who are, or were, partners or family members. It can be "
            "physical, sexual, economic, psychological or emotional, or controlling or coercive behaviour. A "
            "child who sees, hears or experiences the effects of domestic abuse is a victim too."
        ),
        signs=[
            Point("Injuries, with explanations that don't fit, or trying to cover injuries up", ("BF",)),
            Point("A partner who always comes along and answers for them", ("BF",)),
            Point("Seeming frightened, or reluctant to speak", ("BF",)),
            Point("Having few friends, or seeming cut off from friends and family", ("BF", "C56")),
            Point("Missing appointments", ("BF",)),
            Point("Using alcohol or drugs, depression, eating disorders or self-harm", ("BF",)),
            Point(
                "By the person causing harm: constant criticism, threats, jealousy, following or checking up "
                "on them, or blaming the victim",
                ("C56",),
            ),
            Point(
                "Teenagers can be abused by a boyfriend or girlfriend, too.",
                ("SL2",),
                ages=YOUNG,
            ),
        ],
        steps={
            "professional": [
                Point(
                    "Immediate danger: call 999. If the person cannot speak on a mobile, they can press 55 when asked.",
                    contacts=("emergency-999",),
                ),
                Point(
                    "Ask safely: in private, away from the partner or family. Never use family, friends or carers "
                    "as interpreters.",
                    ("RCGP",),
                ),
                Point(
                    "Assess risk with the Dash risk checklist (DASH). For young people aged 13 to 17, use the "
                    "young people's version.",
                    ("SL1", "SL2"),
                    resources=("dash-risk-checklist-quick-start-guidance", "dash-risk-checklist-for-young-people"),
                ),
                Point(
                    "High risk: refer to the local MARAC, a meeting where agencies share information and agree a "
                    "safety plan. Any agency can refer. The B&NES referral route is not yet confirmed on a "
                    "published page, so ask your safeguarding lead.",
                    ("HMI", "KBSP"),
                    contacts=("banes-marac",),
                    resources=("what-is-a-marac",),
                ),
                Point(
                    "Children in the household: make a child safeguarding referral to B&NES children's social care.",
                    contacts=CHILDRENS_SOCIAL_CARE,
                ),
                Point(
                    "An adult at risk, for example because of care and support needs: B&NES adult safeguarding.",
                    contacts=("banes-adult-safeguarding",),
                ),
                Point(
                    "Signpost the National Domestic Abuse Helpline, the Respect Phoneline (for people worried "
                    "about their own behaviour) and Clare's Law.",
                    ("REF", "MAPPA"),
                    contacts=("national-domestic-abuse-helpline", "respect-phoneline", "clares-law"),
                ),
            ],
            "someone-else": [
                Point(
                    "Believe them. Listen without judging, and let them make their own choices. Don't confront "
                    "the person causing harm yourself: it can make things more dangerous.",
                    resources=("domestic-abuse-a-resource-for-friends-and-family",),
                ),
                Point(
                    "Share the National Domestic Abuse Helpline: free at any time, and they can arrange a safe "
                    "time to call back.",
                    ("REF",),
                    contacts=("national-domestic-abuse-helpline",),
                ),
                Point(
                    "Anyone can ask the police whether a partner has a history of abuse (Clare's Law).",
                    ("MAPPA",),
                    contacts=("clares-law",),
                ),
                Point(
                    "If children are affected, call the NSPCC Helpline or B&NES children's social care.",
                    contacts=("nspcc", "banes-childrens-social-care"),
                ),
                Point("In an emergency, call 999.", contacts=("emergency-999",)),
            ],
            "young-person": [
                Point(
                    "If things at home, or with a boyfriend or girlfriend, make you feel scared or controlled, it "
                    "is not your fault. Talk to Childline, any time.",
                    ("SL2",),
                    contacts=("childline",),
                ),
                Point(
                    "If you are in danger now, call 999. If you cannot speak on a mobile, press 55 when asked.",
                    contacts=("emergency-999",),
                ),
            ],
        },
    ),
    "missing": ConcernAdvice(
        heading="Going missing or running away",
        about="Going missing can be a sign that a child is being exploited.",
        steps={
            "parent": [
                CHILD_MISSING_CALL_THE_POLICE,
                MISSING_PEOPLE_FOR_FAMILIES,
            ],
            "professional": [
                Point(
                    "A child who goes missing may be being exploited. Tell your DSL, and report it to the police "
                    "every time.",
                    ("IT", "MC"),
                    contacts=("police-101",),
                ),
                Point(
                    "If the child is at risk of harm, refer to B&NES children's social care.",
                    contacts=CHILDRENS_SOCIAL_CARE,
                ),
            ],
            "young-person": [
                Point(
                    "If you are thinking of running away, or you have gone and want help, Missing People will "
                    "listen, in confidence. You can call or text for free.",
                    contacts=("missing-people",),
                ),
                Point("You can also talk to Childline about anything.", contacts=("childline",)),
            ],
        },
    ),
    "bullying": ConcernAdvice(
        heading="Being bullied, threatened or attacked",
        steps={
            "someone-else": [
                Point(
                    "Report threats or an attack to the police on 101, or 999 if someone is in danger now.",
                    contacts=("police-101",),
                ),
                Point(
                    "Victim Support helps anyone affected by crime, whether or not it was reported.",
                    contacts=("victim-support",),
                ),
            ],
            "young-person": [
                Point("Talk to Childline about anything, any time.", contacts=("childline",)),
                Point(
                    "Ditch the Label has advice and online support for young people.",
                    resources=("ditch-the-label-online-support-for-young-people",),
                ),
            ],
        },
    ),
    "alcohol-drugs": ConcernAdvice(
        heading="Alcohol or drugs",
        steps={
            "someone-else": [
                Point(
                    "Project 28 is the drug and alcohol service for young people in B&NES, up to 18. Young people "
                    "can refer themselves.",
                    contacts=("project-28",),
                    resources=("project-28-young-peoples-drug-and-alcohol-service",),
                    ages=YOUNG,
                ),
                Point(
                    "If you think someone is being pushed into carrying or selling drugs, it may be exploitation: "
                    "tell the police on 101, or Crimestoppers anonymously.",
                    ("HO",),
                    contacts=("police-101", "crimestoppers"),
                ),
            ],
            "young-person": [
                Point(
                    "Project 28 helps young people in B&NES with drugs or alcohol, and you can refer yourself.",
                    contacts=("project-28",),
                    resources=("project-28-young-peoples-drug-and-alcohol-service",),
                ),
                Point(
                    "If someone wants you to carry or sell drugs for them, that is exploitation, not your fault. "
                    "Tell Fearless without giving your name, or talk to Childline.",
                    ("BTP",),
                    contacts=("fearless", "childline"),
                ),
            ],
        },
    ),
    "hate-crime": ConcernAdvice(
        heading="Hate crime",
        steps={
            "someone-else": [
                Point(
                    "Report a hate crime or hate incident to Avon and Somerset Police online or on 101, or 999 in "
                    "an emergency.",
                    contacts=("police-hate-crime",),
                ),
                Point(
                    "If you would rather not go to the police, SARI supports anyone who has experienced hate "
                    "crime, and you can report to them instead.",
                    contacts=("sari",),
                    resources=("sari-hate-crime-support",),
                ),
            ],
        },
    ),
    "other": ConcernAdvice(
        heading="Something else",
        steps={
            "someone-else": [
                Point(
                    "Victim Support helps anyone affected by crime, at any time.",
                    contacts=("victim-support",),
                ),
                Point(
                    "Tell the police on 101 about a crime when no one is in immediate danger.", contacts=("police-101",)
                ),
            ],
        },
    ),
}

# Said first on the result page for each role, whatever the worry.
ROLE_STEPS = {
    "professional": [
        Point(
            "Follow your organisation's safeguarding procedure and tell your designated safeguarding lead (DSL) "
            "the same day. Write down what you saw and heard, in the person's own words, with the date and time.",
            resources=("keeping-children-safe-in-education",),
        ),
    ],
    "parent": [WHAT_HAPPENS_AFTER_YOU_CALL],
}


@dataclass(frozen=True)
class Route:
    """One row of the local safeguarding routes for professionals (signs.md, "Quick reference")."""

    name: str
    when: str
    how: Point


# signs.md's "Quick reference: professional routes in B&NES", with its numbers taken from the contacts.
PROFESSIONAL_ROUTES = [
    Route(
        "Designated safeguarding lead (DSL)",
        "Any concern about a child, the same day",
        Point(
            "Your organisation's procedure. In schools and colleges, Keeping children safe in education.",
            resources=("keeping-children-safe-in-education",),
        ),
    ),
    Route(
        "B&NES children's social care",
        "A child may be at risk of significant harm, or needs protection",
        Point("Call them; out of hours, the Emergency Duty Team.", contacts=CHILDRENS_SOCIAL_CARE),
    ),
    Route(
        "Police",
        "Danger now, or information to share",
        Point("999 in an emergency, otherwise 101.", contacts=("police-101",)),
    ),
    Route(
        "National Referral Mechanism (NRM)",
        "Possible modern slavery or trafficking, including county lines exploitation",
        Point(
            "Through a first responder organisation (the council, the police, some charities). It does not "
            "replace a child protection referral: do both.",
            ("HO",),
            resources=(
                "national-referral-mechanism-guidance-for-child-first-responders",
                "modern-slavery-national-referral-mechanism-and-duty-to-notify",
            ),
        ),
    ),
    Route(
        "Modern Slavery & Exploitation Helpline",
        "Advice or reporting",
        Point("Open day and night.", contacts=("modern-slavery-helpline",)),
    ),
    Route(
        "Dash risk checklist, then MARAC",
        "Domestic abuse, high risk",
        Point(
            "The SafeLives Dash checklist (a version for young people aged 13 to 17), then a referral to the "
            "local MARAC. The B&NES MARAC route is not yet confirmed on a published page: ask your "
            "safeguarding lead.",
            ("SL1", "SL2", "HMI"),
            contacts=("banes-marac",),
            resources=("dash-risk-checklist-quick-start-guidance", "what-is-a-marac"),
        ),
    ),
    Route(
        "Willow Project",
        "Child sexual exploitation (B&NES)",
        Point("Ask how to refer locally.", contacts=("willow-project",)),
    ),
    Route(
        "B&NES adult safeguarding",
        "An adult at risk of abuse, neglect or exploitation",
        Point("Report a concern.", contacts=("banes-adult-safeguarding",)),
    ),
    Route(
        "B&NES Early Help",
        "A family needs support before problems get worse",
        Point(
            "The self-referral route is not yet confirmed on a published council page.", contacts=("banes-early-help",)
        ),
    ),
]


# --- The pages for parents and carers and for young people (portal.signposting.views) --------------------


@dataclass(frozen=True)
class GuideSection:
    """A section of one of those pages: a heading and points, each a sign or step with its sources."""

    id: str  # the section's fragment, for the page's contents list
    heading: str
    points: tuple[Point, ...] = ()
    lead: str = ""  # a sentence before the points
    # Worries whose signs (ADVICE[...].signs) the section lists, under each worry's heading.
    signs_of: tuple[str, ...] = ()
    # Resources on these topics for the page's audience are listed under the points (from the library).
    resource_topics: tuple[str, ...] = ()
    # Which of the contacts that fit the page's reader the section lists, in portal.signposting.matching's
    # order: "all", "crisis" (open at any time) or "others" (the rest); "" for none.
    contacts: str = ""


# The worries a parent is asked about most, whose signs the parents' page lists (the flow has the rest).
PARENT_WORRIES = ("exploitation", "knife", "sexual-violence", "domestic-abuse")

# The parents' page, after its 999 line and the opening staff edit: in this order.
PARENTS_GUIDE = (
    GuideSection(
        "missing",
        "If your child is missing",
        (CHILD_MISSING_CALL_THE_POLICE, MISSING_PEOPLE_FOR_FAMILIES),
    ),
    GuideSection(
        "who-to-contact",
        "Who to contact",
        lead=(
            "Services open at any time first, then Bath and North East Somerset's children's social care, the "
            "police when it is not an emergency, and helplines. Local services come before national ones."
        ),
        contacts="all",
    ),
    GuideSection(
        "talking",
        "How to talk to your child",
        (
            KEEP_TALKING_STAY_CALM,
            TALK_ABOUT_KNIVES_CALMLY,
            EXPLAIN_A_KNIFE_DOES_NOT_PROTECT,
            TALK_ABOUT_RELATIONSHIPS,
            TELL_YOUR_CHILD_ABOUT_CHILDLINE_AND_FEARLESS,
        ),
    ),
    GuideSection(
        "signs",
        "Signs to look out for",
        (STAY_ALERT_TO_WHERE_THEY_GO, WRITE_DOWN_WHAT_YOU_NOTICE),
        lead=(
            "No single sign proves anything. Many are part of growing up: look for changes, and for several signs "
            "together, and trust your instinct if something feels wrong."
        ),
        signs_of=PARENT_WORRIES,
    ),
    GuideSection(
        "after-you-call",
        "What happens after you ask for help",
        (GET_ADVICE_ABOUT_YOUR_CHILD, WHAT_HAPPENS_AFTER_YOU_CALL),
    ),
)

# Said to a young person about telling someone: what each kind of listener does with what they hear.
ADULTS_AT_WORK_MUST_PASS_IT_ON = Point(
    "If you tell a teacher, youth worker or another adult who works with young people, they must pass it on to "
    "the person who leads on keeping children safe where they work, the same day. So they cannot promise to keep "
    "it secret: they pass it on to keep you safe.",
    resources=("keeping-children-safe-in-education",),
)
CHILDLINE_IS_CONFIDENTIAL = Point(
    "Childline is free, confidential and open at any time, for anyone under 19. You can talk about anything.",
    contacts=("childline",),
    resources=("childline",),
)
FEARLESS_IS_ANONYMOUS = Point(
    "You can tell Fearless about a crime without giving your name: its online form is anonymous.",
    contacts=("fearless",),
    resources=("how-crimestoppers-handles-calls-and-online-forms",),
)
WALKING_AWAY_IS_BRAVE = Point(
    "Walking away is the brave and smart choice. It helps to plan what you could say to get out of a situation.",
    ("LP10", "KF"),
    resources=("talking-to-a-young-person-about-knives-10-step-guide",),
)

# The young people's page, after its 999 line: the lines open at any time first. Only services for young
# people are shown (portal.signposting.matching.fits for a young person).
YOUNG_PEOPLE_GUIDE = (
    GuideSection(
        "talk-now",
        "Talk to someone now",
        lead="You can call these at any time, day or night.",
        contacts="crisis",
    ),
    GuideSection(
        "telling",
        "What happens if you tell someone",
        (
            NEVER_YOUR_FAULT,
            NOT_IN_TROUBLE_FOR_BEING_EXPLOITED,
            CHILDLINE_IS_CONFIDENTIAL,
            FEARLESS_IS_ANONYMOUS,
            ADULTS_AT_WORK_MUST_PASS_IT_ON,
        ),
    ),
    GuideSection(
        "online",
        "Staying safe online",
        (REPORT_REMOVE_FOR_YOU, OFFERS_ARE_A_TRAP),
        resource_topics=("online-safety",),
    ),
    GuideSection(
        "knives",
        "Knife crime: myths and facts",
        (
            A_KNIFE_DOES_NOT_KEEP_YOU_SAFE,
            MOST_YOUNG_PEOPLE_DO_NOT_CARRY,
            WALKING_AWAY_IS_BRAVE,
            TELL_FEARLESS_ABOUT_A_KNIFE,
        ),
        resource_topics=("knife-crime",),
    ),
    GuideSection(
        "more-help",
        "More help for young people",
        lead="The police when it is not an emergency, telling someone without giving your name, and support.",
        contacts="others",
    ),
)


def label_of(choices: list[Choice], value: str) -> str:
    return next((choice.label for choice in choices if choice.value == value), value)
