#!/usr/bin/env python
"""Django's command-line utility for the VRU portal (run it with the project's .venv Python)."""

import os
import sys
from pathlib import Path


def main() -> None:
    # Lets `python manage.py` work from a checkout even where the package is not installed into the venv.
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
