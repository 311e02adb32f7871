"""`manage.py purge_account_requests`: delete requests for a partner account past the retention period."""

from __future__ import annotations

from django.conf import settings

from portal.accounts.partners import ACCOUNT_REQUEST_RETENTION
from portal.accounts.retention import PurgeCommand


class Command(PurgeCommand):
    rule = ACCOUNT_REQUEST_RETENTION
    help = (
        "Delete requests for a partner account decided more than VRU_ACCOUNT_REQUEST_RETENTION_DAYS days ago, "
        f"or waiting for longer than that (now {settings.ACCOUNT_REQUEST_RETENTION_DAYS}). Run it daily. "
        "Accounts made from approved requests are kept."
    )
