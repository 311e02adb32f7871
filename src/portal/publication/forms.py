"""The staff forms of the publication workflow."""

from __future__ import annotations

from django import forms


class PublishDraftForm(forms.Form):
    """Which bundle on the server to publish as a draft (the choices are read when the form is made)."""

    bundle = forms.ChoiceField(
        label="Which assessment bundle?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the assessment bundle to publish",
            "invalid_choice": "Select one of the assessment bundles listed",
        },
    )

    def __init__(self, *args, bundles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bundles = {bundle.name: bundle for bundle in bundles}
        self.fields["bundle"].choices = [(bundle.name, bundle.label) for bundle in bundles]

    def chosen(self):
        return self.bundles[self.cleaned_data["bundle"]]
