"""How long partner data uploads are kept (settings.PARTNER_UPLOAD_RETENTION_DAYS, from when the file was
uploaded): `manage.py purge_partner_uploads` deletes older ones, whether accepted or not."""

from __future__ import annotations

from datetime import datetime

from portal.accounts.retention import RetentionRule
from portal.partners.models import PartnerUpload


def expired_uploads(cutoff: datetime):
    return PartnerUpload.objects.filter(uploaded_at__lt=cutoff)


PARTNER_UPLOAD_RETENTION = RetentionRule("partner upload(s)", "PARTNER_UPLOAD_RETENTION_DAYS", expired_uploads)
