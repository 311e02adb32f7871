"""The unit's pages as they start: the wording of the Bath & North East Somerset Violence Reduction Unit's own
page on the council website, split into one page per section. Staff edit them afterwards in the staff area.

The wording is copied here, so the portal never reads the seed file at run time. Changes from the seed:
"this webpage" reads "this website"; the note asking for feedback on the page's content is on "Contact the
team"; the strategy's author is described as Police and Crime Commissioner when the strategy was published
(2019); and the figures in the quotation from the strategy carry their source.
"""

from datetime import date

from django.db import migrations

# The date these pages were written from the unit's page.
REVIEWED = date(2026, 11, 26)

# (slug, position, title, summary, body in portal.core.markup)
SEED_PAGES = [
    (
        "introduction",
        10,
        "Introduction",
        "What this website offers, who it is for, and who the unit are.",
        """\
This website offers you an insight into the work of the Bath & North East Somerset Violence Reduction Unit \
and gives access to resources that can help recognise, prevent and respond to concerns about violent crimes.

It is designed to help the work of professionals and community groups who have contact with people who may \
be affected by violence.

We are a multi-agency group of professionals working to set up a specialist Violence Reduction Unit (VRU).""",
    ),
    (
        "why-the-vru-was-set-up",
        20,
        "Why the Violence Reduction Unit has been set up",
        "Why police force areas, including Avon and Somerset, were funded to set up violence reduction units, "
        "and the cost of serious violence.",
        """\
Nationally, selected police force areas were offered additional resource specifically to set up a VRU as a \
core function for the delivery of a local response to serious violence that could:

- alleviate suffering
- lead to substantial financial savings, and
- improve societal wellbeing and prosperity for current and future generations

## The Avon and Somerset Serious Violence Strategy 2019

Sue Mountstevens, Police and Crime Commissioner for Avon and Somerset when the strategy was published, \
explains more about this approach in the Avon and Somerset Serious Violence Strategy 2019:

> Serious violence destroys lives, with repercussions that span generations. In Avon and Somerset, on \
average more than 1000 serious violence offences are reported to the Constabulary every month, at \
significant social and economic cost.
>
> Between November 2015 and March 2019, homicide and violence with injury cost Avon and Somerset nearly \
£765 million. The costs to society more broadly (through, for example, lost output or long-term physical \
and mental illness), though more difficult to quantify, are likely to be far greater, and longer lasting.
>
> Homicide and Violence with Injury are prominent components of serious violence. However, the \
categorisation used in this document incorporates other types of offence. As such, we underestimate the \
total costs of serious violence.
>
> Tackling serious violence and breaking this destructive cycle is a priority for the Government; and \
particularly so given recent increases in serious violence nationally. To facilitate effective, local \
multi-agency responses to serious violence, the Government has allocated £35 million to PCCs in 18 local \
areas, including Avon and Somerset, to set up Violence Reduction Units.

Source of the figures in this quotation (more than 1000 offences a month, nearly £765 million, £35 million \
for 18 areas): Avon and Somerset Serious Violence Strategy 2019, as quoted on the unit's page. We have not \
checked them against the strategy itself, and the unit's page does not say which year's prices the \
£765 million is in.

There is more about the strategy on the \
[Avon and Somerset Police and Crime Commissioner website](https://www.avonandsomerset-pcc.gov.uk/).""",
    ),
    (
        "what-the-unit-does",
        30,
        "What the Bath & North East Somerset Violence Reduction Unit does",
        "Our needs assessment, the response strategy it will inform, and our advice to partners on "
        "preventing violent crime.",
        """\
We are carrying out a needs assessment that will identify gaps in provision and practice. This will be \
done in consultation with our partners.

This needs assessment will inform a response strategy that will set out the most effective way we can \
reduce the amount of violent crimes in Bath & North East Somerset.

We also aim to raise awareness of key issues and advise partners on good practice to enable the \
prevention of violent crimes.""",
    ),
    (
        "contact-the-team",
        40,
        "Contact the team",
        "How to ask us a question, or send feedback and suggestions about this website.",
        """\
If you have any questions about this website or the work of Bath & North East Somerset Violence \
Reduction Unit, please email VRU_Project@bathnes.gov.uk

We are working on the content of this website – please send any feedback and suggestions to \
VRU_Project@bathnes.gov.uk""",
    ),
]


def seed_pages(apps, schema_editor):
    Page = apps.get_model("core", "Page")
    for slug, position, title, summary, body in SEED_PAGES:
        # Never overwrite a page staff have already written.
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "position": position,
                "title": title,
                "summary": summary,
                "body": body,
                "last_reviewed": REVIEWED,
                "published": True,
            },
        )


def remove_seeded_pages(apps, schema_editor):
    apps.get_model("core", "Page").objects.filter(slug__in=[slug for slug, *_ in SEED_PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed_pages, remove_seeded_pages)]
