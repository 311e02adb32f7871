"""Formerly seeded the local contacts from the first vetted list.

That list was replaced by the re-vetted one, which migration 0004 loads; a new database goes straight to it.
Kept (doing nothing) so databases that ran it keep a consistent history.
"""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("signposting", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
