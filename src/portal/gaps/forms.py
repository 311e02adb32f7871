from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from portal.gaps.models import GapEntry


class GapEntryForm(forms.ModelForm):
    class Meta:
        model = GapEntry
        fields = ["owner", "status", "note"]
        labels = {"owner": "Owner", "note": "Note"}
        help_texts = {"owner": "Who in the partnership leads on closing this gap."}
        widgets = {"status": forms.RadioSelect(), "note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["owner"].empty_label = "Nobody yet"
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
