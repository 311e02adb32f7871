"""The opening text of the pages for parents and carers and for young people (issue 11), as pages staff edit.

Only the opening is stored here: the advice, signs, steps and contacts under it come from the signposting app's
vetted lists (portal.signposting), each with its source, so this text makes no claim of its own. Staff change it
at /staff/pages/; the page keeps its own address (/parents-and-carers/ and /young-people/), and is not listed under
"About the VRU".
"""

from datetime import date

from django.db import migrations

WRITTEN = date(2026, 12, 2)

# (slug, position, title, summary, body in portal.core.markup)
SEED_PAGES = [
    (
        "parents-and-carers",
        90,
        "If you are a parent or carer",
        "For parents and carers worried about their child: how to talk to them, signs to look out for, what "
        "happens when you ask for help, a missing child, and who to call.",
        """\
This page is for parents and carers who are worried about their child: about knives, exploitation and \
county lines, sexual exploitation, going missing, or something else.

It brings together how to talk to your child, signs to look out for, what happens when you ask for help, \
and who to call in Bath and North East Somerset and nationally. Each piece of advice says where it comes from.

If you would like advice that fits your worry, [answer a few questions](/worried-about-someone/).""",
    ),
    (
        "young-people",
        91,
        "Help for young people",
        "For young people under 18: who you can talk to at any time, what happens if you tell someone, staying "
        "safe online, and the facts about knives.",
        """\
This page is for you if you are under 18 and something is worrying you, or you are worried about a friend.

Every service on this page is for people your age. The ones you can call at any time, day or night, are at \
the top.""",
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
                "last_reviewed": WRITTEN,
                "published": True,
            },
        )


def remove_seeded_pages(apps, schema_editor):
    apps.get_model("core", "Page").objects.filter(slug__in=[slug for slug, *_ in SEED_PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_seed_pages")]

    operations = [migrations.RunPython(seed_pages, remove_seeded_pages)]
