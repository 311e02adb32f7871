from django import forms
from django.conf import settings


class PartnerUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a partner data file",
        help_text="A CSV file made from one of the templates, up to 5 MB.",
        error_messages={"required": "Select a CSV file to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size > settings.VRU_MAX_PARTNER_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        return upload
