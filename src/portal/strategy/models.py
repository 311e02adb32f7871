"""The response strategy: the evidence library of what works, the golden thread from each need the needs
assessment found to candidate approaches, the actions staff choose, and the measures that monitor them.

* `Approach`: one entry of the evidence library (YEF Toolkit, College of Policing Crime Reduction Toolkit).
  Loaded from the toolkit's shipped library by `manage.py load_evidence_library`; staff correct and add
  entries (audited). A rating nobody has read from the source stays empty and is shown as "not yet checked".
* `Strategy`: one version of the strategy for an area, resting on one published needs assessment.
* `StrategyNeed`: a finding or gap-register row of that assessment with its ranked candidate approaches
  (the golden thread, computed by the toolkit and stored as it was when the draft was made).
* `Action`: what staff chose to do about a need: owner, partners, budget, dates, success measure.
* `MonitoringMeasure`: a success measure's monthly series with its SPC chart and minimum detectable change,
  published by `manage.py publish_monitoring` from the toolkit's monitoring table.
* `ActionEvaluation`: the evaluation aid's difference in differences for an action tied to places, published
  by `manage.py publish_evaluation` from the file `vru evaluate --out` writes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import StaffEdited
from portal.insights.models import PublishedAssessment

HARMFUL = "harmful"


class TermKind(models.TextChoices):
    IMPACT_BAND = "impact-band", "Impact band"
    SETTING = "setting", "Setting"
    AGE_GROUP = "age-group", "Age group"
    THEME = "theme", "Need addressed"


class Term(models.Model):
    """The evidence library's vocabularies (impact bands, settings, age groups, themes), as the toolkit defines
    them (vru.sources.evidence_library); copied in by `manage.py load_evidence_library`, so the web process
    never imports the toolkit."""

    kind = models.CharField(max_length=20, choices=TermKind.choices)
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "slug"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="term_kind_slug")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def names(cls, kind: str) -> dict[str, str]:
        """slug -> name for one vocabulary, in order."""
        return dict(cls.objects.filter(kind=kind).values_list("slug", "name"))


class ApproachQuerySet(models.QuerySet):
    def live(self) -> ApproachQuerySet:
        return self.filter(retired=False)


class Approach(StaffEdited):
    slug = models.SlugField(max_length=100, unique=True, help_text="Part of the page address. Set once.")
    toolkit = models.CharField(max_length=120, help_text="Whose evidence review it comes from.")
    name = models.CharField(max_length=200)
    description = models.TextField(help_text="What it is, in our own words. Do not copy the toolkit's text.")
    impact_band = models.CharField(max_length=20, help_text="A slug of the impact-band vocabulary (Term).")
    impact_statement = models.TextField(
        blank=True, help_text="What the source says about its effect, shortened and attributed."
    )
    evidence_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="YEF evidence quality, 1 to 5, read from the toolkit. Empty: not yet checked.",
    )
    cost_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="YEF cost, 1 to 3, read from the toolkit. Empty: not yet checked.",
    )
    delivery_settings = models.JSONField(default=list, blank=True, help_text="Where it is delivered (slugs).")
    age_groups = models.JSONField(default=list, blank=True, help_text="Who it is for (slugs). Empty: not yet checked.")
    themes = models.JSONField(default=list, blank=True, help_text="The needs it addresses (slugs).")
    place_based = models.BooleanField(default=False, help_text="Works on places (streets, town centres).")
    source_url = models.URLField(max_length=500)
    source_title = models.CharField(max_length=300, blank=True)
    date_read = models.DateField(null=True, blank=True, help_text="When the source was read. Empty: not recorded.")
    fields_read = models.JSONField(default=list, blank=True, help_text="What was read from the source itself.")
    verified = models.BooleanField(
        default=False, help_text="Someone checked every field against the live source on the date read."
    )
    retired = models.BooleanField(default=False)

    objects = ApproachQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "approaches"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:approach", args=[self.slug])

    @property
    def harmful(self) -> bool:
        return self.impact_band == HARMFUL

    @property
    def impact_band_name(self) -> str:
        return Term.names(TermKind.IMPACT_BAND).get(self.impact_band, self.impact_band)

    @property
    def setting_names(self) -> list[str]:
        names = Term.names(TermKind.SETTING)
        return [names.get(value, value) for value in self.delivery_settings]

    @property
    def age_group_names(self) -> list[str]:
        names = Term.names(TermKind.AGE_GROUP)
        return [names.get(value, value) for value in self.age_groups]

    @property
    def theme_names(self) -> list[str]:
        names = Term.names(TermKind.THEME)
        return [names.get(value, value) for value in self.themes]

    def as_library_row(self) -> dict:
        """The fields the golden-thread ranking reads (vru.analysis.golden_thread)."""
        return {
            "slug": self.slug,
            "name": self.name,
            "themes": list(self.themes),
            "age_groups": list(self.age_groups),
            "settings": list(self.delivery_settings),
            "place_based": self.place_based,
            "impact_band": self.impact_band,
            "evidence_rating": self.evidence_rating,
            "cost_rating": self.cost_rating,
            "harmful": self.harmful,
            "verified": self.verified,
        }


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed by the partnership"


class Strategy(models.Model):
    area_code = models.CharField(max_length=16)
    area_name = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT)
    assessment = models.ForeignKey(
        PublishedAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="strategies"
    )
    assessment_label = models.CharField(
        max_length=300, help_text="The needs assessment it rests on, as named when the strategy was drafted."
    )
    assessment_generated_at = models.DateTimeField()
    start_date = models.DateField(help_text="When the strategy starts: the monitoring baseline ends the month before.")
    end_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["area_code", "-version"]
        verbose_name_plural = "strategies"
        constraints = [models.UniqueConstraint(fields=["area_code", "version"], name="strategy_area_version")]

    def __str__(self) -> str:
        return f"{self.title}, version {self.version} ({self.get_status_display().lower()})"

    @property
    def start_month(self) -> str:
        return f"{self.start_date:%Y-%m}"


class StrategyNeed(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="needs")
    position = models.PositiveIntegerField()
    need_id = models.CharField(max_length=200, help_text="finding:<id> or gap:<ward>:<theme>.")
    kind = models.CharField(max_length=10, choices=[("finding", "Finding"), ("gap", "Gap in provision")])
    text = models.TextField()
    thread = models.JSONField(help_text="The ranked candidates and approaches to avoid, as the toolkit gave them.")

    class Meta:
        ordering = ["strategy", "position"]
        constraints = [models.UniqueConstraint(fields=["strategy", "need_id"], name="strategy_need_once")]

    def __str__(self) -> str:
        return self.text[:80]

    def candidate(self, slug: str) -> dict | None:
        return next((item for item in self.thread.get("candidates", []) if item["slug"] == slug), None)


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ON_TRACK = "on-track", "On track"
    LATE = "late", "Late"
    COMPLETE = "complete", "Complete"
    STOPPED = "stopped", "Stopped"


class Action(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    need = models.ForeignKey(StrategyNeed, on_delete=models.PROTECT, related_name="actions")
    approach = models.ForeignKey(Approach, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, help_text="The organisation or role that leads it (not a person's name).")
    partners = models.TextField(blank=True, help_text="Other organisations involved, one a line.")
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    success_measure = models.CharField(
        max_length=120, help_text="The monitoring measure (key) that will show whether it worked."
    )
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["strategy", "start_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today=None) -> bool:
        """Late when marked so, or past its end date and neither complete nor stopped."""
        today = today or timezone.localdate()
        if self.status == ActionStatus.LATE:
            return True
        return self.end_date < today and self.status not in (ActionStatus.COMPLETE, ActionStatus.STOPPED)


class MonitoringMeasure(models.Model):
    area_code = models.CharField(max_length=16)
    key = models.CharField(max_length=120, help_text="Stable name, for example police-uk:robbery:area.")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=200)
    geography = models.CharField(max_length=500, help_text="Where it is measured, in words.")
    available = models.BooleanField()
    missing_reason = models.TextField(blank=True)
    baseline_from = models.CharField(max_length=7, blank=True)
    baseline_to = models.CharField(max_length=7, blank=True)
    series = models.JSONField(default=list, blank=True, help_text="[{month, value}] in order.")
    chart = models.JSONField(default=dict, blank=True, help_text="The XmR chart: points, icons, description.")
    detectable = models.JSONField(default=dict, blank=True, help_text="Minimum detectable change and its words.")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area_code", "position", "key"]
        constraints = [models.UniqueConstraint(fields=["area_code", "key"], name="measure_area_key")]

    def __str__(self) -> str:
        return f"{self.name} ({self.geography})"


class ActionEvaluation(models.Model):
    """The evaluation aid's result for an action tied to places (`vru evaluate --out`), published by
    `manage.py publish_evaluation`: one current evaluation an action, replaced when published again. `result`
    is the file as the toolkit wrote it; the other fields are copied from it to list and check it."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="evaluation")
    result = models.JSONField(help_text="The JSON `vru evaluate --out` wrote, unchanged.")
    area_code = models.CharField(max_length=16)
    crime_type = models.CharField(max_length=120)
    level = models.CharField(max_length=10, help_text="ward or lsoa: what the places are.")
    treated_names = models.TextField(help_text="The places where the action ran, comma-separated.")
    start_month = models.CharField(max_length=7)
    first_month = models.CharField(max_length=7)
    last_month = models.CharField(max_length=7)
    pre_months = models.PositiveIntegerField()
    post_months = models.PositiveIntegerField()
    effect = models.FloatField(help_text="Crimes a month per place; negative is a fall against the comparison.")
    lower = models.FloatField()
    upper = models.FloatField()
    has_warnings = models.BooleanField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.CharField(max_length=150, help_text='Who published it (`--by`), else "command line".')

    class Meta:
        ordering = ["action"]

    def __str__(self) -> str:
        return f"Evaluation of {self.action}"
