"""Forms for the directory: one service form for staff and for partners mapping their own services
(provision mapping), the opening times and locations under it, and the feed upload."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils import timezone

from portal.directory.models import Attribute, Location, Schedule, Service, ServiceArea, ServiceAtLocation
from portal.directory.queries import DAYS
from portal.directory.themes import THEME_BY_SLUG, THEME_CHOICES
from portal.resources.forms import GovukDateWidget, PastDateField, https_by_default

DAY_CHOICES = list(
    zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
AREA_HELP = (
    "ONS codes of the wards or local authorities it serves, separated by commas, for example E05012471 "
    "(Kingsmead) or E06000022 (all of Bath and North East Somerset)."
)


class FutureOrPastDateField(forms.DateField):
    widget = GovukDateWidget

    def __init__(self, **kwargs) -> None:
        super().__init__(
            input_formats=["%Y-%m-%d"], error_messages={"invalid": "Enter a real date, for example 31 3 2027"}, **kwargs
        )


class ServiceForm(forms.ModelForm):
    """What a service does, for whom, where, when, capacity, funding and evaluation. Partners see the
    same questions without the staff-only ones (organisation is theirs; publishing is for staff)."""

    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=THEME_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one theme"},
    )
    area_codes = forms.CharField(label="Where it serves", required=False, help_text=AREA_HELP)
    funding_ends = FutureOrPastDateField(
        label="Funding ends",
        required=False,
        help_text="Leave empty if the funding has no end date. For example, 31 3 2027",
    )
    assured_date = PastDateField(
        label="Last assured", required=False, help_text="When someone last checked the details."
    )
    last_checked = PastDateField(label="Source last checked", required=False)

    class Meta:
        model = Service
        formfield_callback = https_by_default
        fields = [
            "organisation",
            "name",
            "description",
            "url",
            "email",
            "status",
            "minimum_age",
            "maximum_age",
            "capacity_per_week",
            "funding_ends",
            "evaluation",
            "assured_date",
            "source_url",
            "last_checked",
            "published",
        ]
        labels = {"description": "What it does", "name": "Name of the service"}
        help_texts = {
            "minimum_age": "Leave empty if there is no lower limit.",
            "maximum_age": "Leave empty if there is no upper limit.",
            "url": "The service's own page, starting https://",
        }
        widgets = {
            "name": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect(),
        }
        error_messages = {
            "name": {"required": "Enter the name of the service"},
            "organisation": {"required": "Select the organisation that runs it"},
        }

    def __init__(self, *args, partner_organisations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partner = partner_organisations is not None
        if self.partner:
            for name in ("published", "assured_date", "source_url", "last_checked", "status"):
                del self.fields[name]
            self.fields["organisation"].queryset = partner_organisations
        self.fields["organisation"].empty_label = None
        self.fields["description"].required = True
        self.fields["description"].error_messages["required"] = "Say what the service does"
        if self.instance.pk and not self.is_bound:
            self.initial["themes"] = self.instance.theme_slugs
            self.initial["area_codes"] = ", ".join(
                area.area_code or area.uri for area in self.instance.service_areas.all()
            )

    def clean_area_codes(self) -> list[str]:
        codes = [code.strip().upper() for code in self.cleaned_data["area_codes"].replace(";", ",").split(",")]
        codes = [code for code in codes if code]
        wrong = [code for code in codes if not (len(code) == 9 and code[0] in "EWSN" and code[1:].isdigit())]
        if wrong:
            raise forms.ValidationError(f"“{wrong[0]}” is not an ONS code: a letter and 8 digits, like E05012471")
        return codes

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "The oldest age must be the same as or more than the youngest")
        if cleaned.get("published") and not (cleaned.get("source_url") or cleaned.get("assured_date")):
            self.add_error("published", "Say where the details come from, or when they were assured, before publishing")
        return cleaned

    @transaction.atomic
    def save_with_related(self, user, opening: list[dict], locations: list[dict]) -> Service:
        service = self.save(commit=False)
        service.updated_by = user
        service.last_modified = timezone.now()
        if self.partner:
            # A partner's change is checked by staff again before the public sees it.
            service.proposed_by = user
            service.approved_at = None
            service.published = False
        service.save()
        service.attributes.all().delete()
        Attribute.objects.bulk_create(
            Attribute(service=service, taxonomy_term_id=THEME_BY_SLUG[slug].id, link_type="service")
            for slug in self.cleaned_data["themes"]
        )
        service.service_areas.all().delete()
        for code in self.cleaned_data["area_codes"]:
            ServiceArea.objects.create(
                service=service,
                name=code,
                uri=f"http://statistics.data.gov.uk/id/statistical-geography/{code}",
            )
        if opening is not None:
            service.schedules.all().delete()
            Schedule.objects.bulk_create(Schedule(service=service, freq="WEEKLY", interval=1, **row) for row in opening)
        if locations is not None:
            service.service_at_locations.all().delete()
            for row in locations:
                location = Location.objects.create(**row)
                ServiceAtLocation.objects.create(service=service, location=location)
        return service


class OpeningForm(forms.Form):
    byday = forms.MultipleChoiceField(
        label="Days", choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    opens_at = forms.TimeField(label="Opens at", required=False, help_text="For example, 16:00")
    closes_at = forms.TimeField(label="Closes at", required=False, help_text="For example, 21:30")
    description = forms.CharField(label="Anything else about when", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("byday") and not (cleaned.get("opens_at") and cleaned.get("closes_at")):
            self.add_error("opens_at", "Enter the opening and closing times for the days selected")
        return cleaned

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("byday"):
            return None
        return {
            "byday": ",".join(data["byday"]),
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "description": data.get("description", ""),
        }


class LocationForm(forms.Form):
    name = forms.CharField(label="Place name", required=False)
    address_1 = forms.CharField(label="Address", required=False)
    postal_code = forms.CharField(label="Postcode", required=False)
    latitude = forms.FloatField(label="Latitude", required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label="Longitude", required=False, min_value=-180, max_value=180)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", "Enter both latitude and longitude, or neither")
        return cleaned

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not any(data.get(name) not in (None, "") for name in self.fields):
            return None
        address = {key: data[key] for key in ("address_1", "postal_code") if data.get(key)}
        return {
            "name": data.get("name", ""),
            "location_type": Location.Type.PHYSICAL,
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "addresses": [{"address_type": "physical", "country": "GB", **address}] if address else [],
        }


OpeningFormSet = forms.formset_factory(OpeningForm, extra=2, max_num=7)
LocationFormSet = forms.formset_factory(LocationForm, extra=1, max_num=5)


def opening_initial(service: Service) -> list[dict]:
    return [
        {
            "byday": [day for day in schedule.byday.split(",") if day],
            "opens_at": schedule.opens_at,
            "closes_at": schedule.closes_at,
            "description": schedule.description,
        }
        for schedule in service.schedules.all()
    ]


def location_initial(service: Service) -> list[dict]:
    initial = []
    for link in service.service_at_locations.select_related("location"):
        location = link.location
        address = (location.addresses or [{}])[0]
        initial.append(
            {
                "name": location.name,
                "address_1": address.get("address_1", ""),
                "postal_code": address.get("postal_code", ""),
                "latitude": location.latitude,
                "longitude": location.longitude,
            }
        )
    return initial
