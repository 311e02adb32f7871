"""Forms: a consultation and its questions (staff), the answers (partners and the public), tags."""

from __future__ import annotations

from django import forms

from portal.consultations.models import Consultation, Question
from portal.directory.themes import THEME_CHOICES
from portal.resources.forms import GovukDateWidget

RATING_CHOICES = [
    (str(value), label) for value, label in ((1, "1 (poor)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (good)"))
]
MAX_ANSWER = 5000


class ConsultationForm(forms.ModelForm):
    closes_on = forms.DateField(
        label="Closes on",
        widget=GovukDateWidget,
        input_formats=["%Y-%m-%d"],
        help_text="The last day answers are accepted. For example, 31 3 2027",
        error_messages={"required": "Enter the last day answers are accepted", "invalid": "Enter a real date"},
    )

    class Meta:
        model = Consultation
        fields = ["title", "introduction", "closes_on", "public"]
        widgets = {"title": forms.TextInput(), "introduction": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "title": {"required": "Enter a title"},
            "introduction": {"required": "Say what the consultation is for"},
        }


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind", "gap_kind", "theme", "area_code", "audience"]
        widgets = {"text": forms.TextInput()}

    def clean_area_code(self) -> str:
        code = self.cleaned_data["area_code"].strip().upper()
        if code and not (len(code) == 9 and code[0] in "EWSN" and code[1:].isdigit()):
            raise forms.ValidationError("Enter an ONS code, a letter and 8 digits, like E05012471")
        return code


QuestionFormSet = forms.inlineformset_factory(
    Consultation, Question, form=QuestionForm, extra=3, can_delete=True, max_num=30
)


class AnswersForm(forms.Form):
    """One field per question asked of `channel`; every answer optional, so a draft can be half done."""

    def __init__(self, *args, questions, channel: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = [question for question in questions if question.asked_of(channel)]
        for question in self.questions:
            if question.kind == Question.Kind.RATING:
                field = forms.ChoiceField(
                    label=question.text, choices=RATING_CHOICES, widget=forms.RadioSelect, required=False
                )
            else:
                field = forms.CharField(
                    label=question.text,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    required=False,
                    max_length=MAX_ANSWER,
                    error_messages={"max_length": f"Keep the answer to {MAX_ANSWER:,} characters or fewer"},
                )
                if channel == "public":
                    field.help_text = "Do not write names, addresses or anything else that could identify anyone."
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question: Question) -> str:
        return f"question_{question.pk}"

    def answered(self) -> list[tuple[Question, str]]:
        return [
            (question, (self.cleaned_data.get(self.field_name(question)) or "").strip())
            for question in self.questions
            if (self.cleaned_data.get(self.field_name(question)) or "").strip()
        ]

    def require_an_answer(self) -> bool:
        if not self.answered():
            self.add_error(None, "Answer at least one question before sending")
            return False
        return True


class TagForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label="Themes", choices=THEME_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
