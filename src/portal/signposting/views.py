"""'Worried about someone?': a few questions, one per page, then signs, what to do and who to contact.

The answers are stored nowhere. They travel in the page address from one step to the next (GET forms with
hidden fields), so there is no session, no cookie, no database row and no log line of ours holding them;
the server's own request log has the query string removed (portal.signposting.log_filters). Pages are sent
with "no-store" so no cache keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.audit import record_change, save_staff_edit
from portal.accounts.decorators import staff_permission_required
from portal.core.duplicates import unconfirmed_duplicates
from portal.core.models import PARENTS_PAGE_SLUG, YOUNG_PEOPLE_PAGE_SLUG, Page
from portal.resources.models import Resource
from portal.signposting import content, matching
from portal.signposting.contacts import national_contacts
from portal.signposting.forms import ConcernsForm, DangerForm, LocalContactForm, RoleForm, WhoForm
from portal.signposting.models import LocalContact
from portal.signposting.sources import signs_sources

DANGER_VALUES = {choice.value for choice in content.DANGER_CHOICES}
ROLE_VALUES = {choice.value for choice in content.ROLE_CHOICES}
WHO_VALUES = {choice.value for choice in content.WHO_CHOICES}
CONCERN_VALUES = [choice.value for choice in content.CONCERN_CHOICES]
# The hidden field that marks a step's form as sent (so an empty answer is an error, not a first visit).
STEP = "step"
MAX_RESOURCES = 8


@dataclass
class Answers:
    """The answers so far, read from the query string; anything unexpected is dropped."""

    danger: str = ""
    role: str = ""
    who: str = ""
    concerns: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params: QueryDict) -> Answers:
        danger = params.get("danger", "")
        role = params.get("role", "")
        who = params.get("who", "")
        chosen = set(params.getlist("concern"))
        return cls(
            danger=danger if danger in DANGER_VALUES else "",
            role=role if role in ROLE_VALUES else "",
            who=who if who in WHO_VALUES else "",
            concerns=[value for value in CONCERN_VALUES if value in chosen],
        )

    def pairs(self, leave_out: str = "") -> list[tuple[str, str]]:
        pairs = []
        if self.danger and leave_out != "danger":
            pairs.append(("danger", self.danger))
        if self.role and leave_out != "role":
            pairs.append(("role", self.role))
        if self.who and leave_out != "who":
            pairs.append(("who", self.who))
        if leave_out != "concern":
            pairs += [("concern", value) for value in self.concerns]
        return pairs

    def url(self, url_name: str) -> str:
        query = urlencode(self.pairs())
        return reverse(url_name) + (f"?{query}" if query else "")

    def first_missing_step(self) -> str | None:
        """The URL name of the first step not yet answered, or None when all are."""
        if self.danger != "no":
            return "signposting:danger"
        if not self.role:
            return "signposting:role"
        if not self.who:
            return "signposting:who"
        if not self.concerns:
            return "signposting:concerns"
        return None


def _answers_redirect(answers: Answers, url_name: str) -> HttpResponseRedirect:
    return redirect(answers.url(url_name))


def _step(request: HttpRequest, *, name: str, form_class, initial, template_context: dict):
    """Render a question page, or return the bound, valid form when the person answered it."""
    answers = Answers.from_query(request.GET)
    sent = request.GET.get(STEP) == name
    form = form_class(request.GET if sent else None, initial=initial(answers))
    if sent and form.is_valid():
        return answers, form, None
    context = {
        "form": form,
        "field": form[next(iter(form.fields))],
        "hidden": answers.pairs(leave_out="concern" if name == "concerns" else name),
        "step_name": name,
        **template_context(answers),
    }
    return answers, form, render(request, "signposting/question.html", context)


@require_safe
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "signposting/start.html")


@require_safe
@never_cache
def danger(request: HttpRequest) -> HttpResponse:
    answers, form, page = _step(
        request,
        name="danger",
        form_class=DangerForm,
        initial=lambda answers: {"danger": answers.danger},
        template_context=lambda answers: {"back_url": reverse("signposting:start"), "kind": "radios", "inline": True},
    )
    if page:
        return page
    answers.danger = form.cleaned_data["danger"]
    if answers.danger == "yes":
        return redirect("signposting:emergency")
    return _answers_redirect(answers, "signposting:role")


@require_safe
@never_cache
def emergency(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "signposting/emergency.html",
        {
            "emergency": national_contacts()["emergency-999"],
            "silent_solution": national_contacts()["silent-solution"],
            "continue_url": Answers(danger="no").url("signposting:role"),
        },
    )


@require_safe
@never_cache
def role(request: HttpRequest) -> HttpResponse:
    answers = Answers.from_query(request.GET)
    if answers.danger != "no":
        return redirect("signposting:danger")
    answers, form, page = _step(
        request,
        name="role",
        form_class=RoleForm,
        initial=lambda answers: {"role": answers.role},
        template_context=lambda answers: {
            "back_url": reverse("signposting:danger") + "?danger=no",
            "kind": "radios",
        },
    )
    if page:
        return page
    answers.role = form.cleaned_data["role"]
    return _answers_redirect(answers, "signposting:who")


@require_safe
@never_cache
def who(request: HttpRequest) -> HttpResponse:
    answers = Answers.from_query(request.GET)
    if answers.danger != "no" or not answers.role:
        return redirect(answers.url(answers.first_missing_step()))
    answers, form, page = _step(
        request,
        name="who",
        form_class=WhoForm,
        initial=lambda answers: {"who": answers.who},
        template_context=lambda answers: {"back_url": answers.url("signposting:role"), "kind": "radios"},
    )
    if page:
        return page
    answers.who = form.cleaned_data["who"]
    return _answers_redirect(answers, "signposting:concerns")


@require_safe
@never_cache
def concerns(request: HttpRequest) -> HttpResponse:
    answers = Answers.from_query(request.GET)
    if answers.danger != "no" or not answers.role or not answers.who:
        return redirect(answers.url(answers.first_missing_step()))
    answers, form, page = _step(
        request,
        name="concerns",
        form_class=ConcernsForm,
        initial=lambda answers: {"concern": answers.concerns},
        template_context=lambda answers: {"back_url": answers.url("signposting:who"), "kind": "checkboxes"},
    )
    if page:
        return page
    answers.concerns = form.cleaned_data["concern"]
    return _answers_redirect(answers, "signposting:result")


def all_contacts() -> dict[str, object]:
    """Every contact the public pages may show, by key: national ones, then published local ones."""
    contacts: dict[str, object] = dict(national_contacts())
    for contact in LocalContact.objects.published():
        contacts[contact.key or f"local-{contact.pk}"] = contact
    return contacts


def live_resources(topics: list[str], audiences: list[str]) -> list[Resource]:
    """Live resources for any of `audiences` on any of `topics` (every topic when empty), local ones first."""
    through_audiences = Resource.audiences.through.objects.filter(resource=OuterRef("pk"), audience__slug__in=audiences)
    found = Resource.objects.live().filter(Exists(through_audiences))
    if topics:
        through_topics = Resource.topics.through.objects.filter(resource=OuterRef("pk"), topic__slug__in=topics)
        found = found.filter(Exists(through_topics))
    found = (
        found.annotate(
            nearness=Case(
                When(local_area="banes", then=Value(0)),
                When(local_area="avon-and-somerset", then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("nearness", "title", "pk")
        .prefetch_related("topics")
    )
    return list(found[:MAX_RESOURCES])


def library_url(topics: list[str], audiences: list[str]) -> str:
    """The resource library filtered on `topics` and `audiences`."""
    query = [("topic", topic) for topic in topics] + [("audience", audience) for audience in audiences]
    return reverse("resources:index") + "?" + urlencode(query)


def matching_resources(answers: Answers) -> tuple[list[Resource], str]:
    """Live resources on the concerns' topics for the audiences that fit the person asking, local ones first,
    and the address of the resource library filtered the same way."""
    topics = list(dict.fromkeys(topic for concern in answers.concerns for topic in content.CONCERN_TOPICS[concern]))
    audiences = content.ROLE_AUDIENCES[answers.role]
    return live_resources(topics, audiences), library_url(topics, audiences)


class PointRenderer:
    """Turns content.Points into what the template shows: the text, its sources (publisher's pages), the
    contacts it names (with their numbers) and the resources it names (if live)."""

    def __init__(self, points: list[content.Point], contacts: dict[str, object], age: str) -> None:
        self.contacts = contacts
        self.age = age
        slugs = {slug for point in points for slug in point.resources}
        self.resources = {resource.slug: resource for resource in Resource.objects.live().filter(slug__in=slugs)}
        self.sources = signs_sources()

    def applies(self, point: content.Point) -> bool:
        return not point.ages or self.age in point.ages

    def __call__(self, points: list[content.Point]) -> list[dict]:
        return [
            {
                "text": point.text,
                "sources": [self.sources[code] for code in point.sources],
                "contacts": [self.contacts[key] for key in point.contacts if key in self.contacts],
                "resources": [self.resources[slug] for slug in point.resources if slug in self.resources],
            }
            for point in points
            if self.applies(point)
        ]


@require_safe
@never_cache
def result(request: HttpRequest) -> HttpResponse:
    answers = Answers.from_query(request.GET)
    missing = answers.first_missing_step()
    if missing:
        return redirect(answers.url(missing))

    contacts = all_contacts()
    age = matching.age_at_risk(answers.role, answers.who)
    advice = [content.ADVICE[concern] for concern in answers.concerns]
    role_steps = content.ROLE_STEPS.get(answers.role, [])
    every_point = role_steps + [point for item in advice for point in item.signs + item.steps_for(answers.role)]
    render_points = PointRenderer(every_point, contacts, age)
    sections = [
        {
            "heading": item.heading,
            "about": item.about,
            "signs": render_points(item.signs),
            "steps": render_points(item.steps_for(answers.role)),
        }
        for item in advice
    ]
    resources, library_url = matching_resources(answers)
    context = {
        "answers": answers,
        "role_label": content.label_of(content.ROLE_CHOICES, answers.role),
        "who_label": content.label_of(content.WHO_CHOICES, answers.who),
        "who_words": content.WHO_WORDS[answers.who],
        "concern_labels": [content.label_of(content.CONCERN_CHOICES, value) for value in answers.concerns],
        "role_steps": render_points(role_steps),
        "sections": sections,
        "has_signs": any(section["signs"] for section in sections),
        "contacts": matching.contacts_for(list(contacts.values()), answers.role, answers.who, answers.concerns),
        "silent_solution": contacts.get("silent-solution"),
        "resources": resources,
        "library_url": library_url,
        "back_url": answers.url("signposting:concerns"),
        "change_role_url": answers.url("signposting:role"),
        "change_who_url": answers.url("signposting:who"),
        "change_concerns_url": answers.url("signposting:concerns"),
    }
    return render(request, "signposting/result.html", context)


@require_safe
def professional_routes(request: HttpRequest) -> HttpResponse:
    """The local safeguarding routes for professionals in one table, each with its contact and sources."""
    contacts = all_contacts()
    points = [route.how for route in content.PROFESSIONAL_ROUTES]
    render_points = PointRenderer(points, contacts, age="")
    routes = [
        {"name": route.name, "when": route.when, "how": render_points([route.how])[0]}
        for route in content.PROFESSIONAL_ROUTES
    ]
    return render(request, "signposting/professional_routes.html", {"routes": routes})


# --- The pages for parents and carers and for young people ------------------------------------------------


def _guide_page(request: HttpRequest, *, slug: str, guide, role: str, whos: tuple[str, ...], template: str):
    """A page written for someone in `role`: its opening text (a core.Page staff edit), then `guide`'s sections
    in order, each with its points (with their sources, contacts and resources), the signs of its worries, the
    contacts that fit the reader (matching's order: crisis lines first) and resources for them."""
    intro = Page.objects.filter(slug=slug).first()
    if intro and not intro.published and not request.user.has_perm("core.change_page"):
        intro = None
    every_contact = all_contacts()
    contacts = matching.contacts_for_reader(list(every_contact.values()), role, whos, CONCERN_VALUES)
    audiences = content.ROLE_AUDIENCES[role]
    every_point = [point for section in guide for point in section.points] + [
        sign for section in guide for concern in section.signs_of for sign in content.ADVICE[concern].signs
    ]
    # The person at risk is a child or young person on both pages: points for adults only are left out.
    render_points = PointRenderer(every_point, every_contact, age="young-person")
    sections = [
        {
            "id": section.id,
            "heading": section.heading,
            "lead": section.lead,
            "points": render_points(list(section.points)),
            "signs": [
                {"heading": content.ADVICE[concern].heading, "points": render_points(content.ADVICE[concern].signs)}
                for concern in section.signs_of
            ],
            "contacts": matching.section_contacts(contacts, section.contacts),
            "resources": live_resources(list(section.resource_topics), audiences) if section.resource_topics else [],
            "library_url": library_url(list(section.resource_topics), audiences) if section.resource_topics else "",
        }
        for section in guide
    ]
    context = {
        "intro": intro,
        "sections": sections,
        "resources": live_resources([], audiences),
        "library_url": library_url([], audiences),
    }
    return render(request, template, context)


@require_safe
def parents_page(request: HttpRequest) -> HttpResponse:
    return _guide_page(
        request,
        slug=PARENTS_PAGE_SLUG,
        guide=content.PARENTS_GUIDE,
        role="parent",
        whos=content.YOUNG,
        template="signposting/parents.html",
    )


@require_safe
def young_people_page(request: HttpRequest) -> HttpResponse:
    return _guide_page(
        request,
        slug=YOUNG_PEOPLE_PAGE_SLUG,
        guide=content.YOUNG_PEOPLE_GUIDE,
        role="young-person",
        whos=("myself",),
        template="signposting/young_people.html",
    )


# --- Staff: local contacts -------------------------------------------------------------------------------


@require_safe
@staff_permission_required("signposting.view_localcontact")
def staff_contacts(request: HttpRequest) -> HttpResponse:
    contacts = list(LocalContact.objects.all())
    return render(
        request,
        "signposting/staff/contacts.html",
        {"contacts": contacts, "to_complete": [contact for contact in contacts if contact.to_be_confirmed]},
    )


def _contact_form_page(request: HttpRequest, form: LocalContactForm, contact: LocalContact | None, duplicates):
    """The add or change form; after "Preview", the contact's public card above it (saving nothing)."""
    preview = form.save(commit=False) if "preview" in request.POST and form.is_valid() else None
    return render(
        request,
        "signposting/staff/contact_form.html",
        {"form": form, "contact": contact, "preview": preview, "duplicates": duplicates},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("signposting.view_localcontact", "signposting.add_localcontact")
def staff_contact_add(request: HttpRequest) -> HttpResponse:
    form = LocalContactForm(request.POST if request.method == "POST" else None)
    duplicates = []
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        duplicates = unconfirmed_duplicates(form, LocalContact.objects.all())
        if not duplicates:
            with transaction.atomic():
                contact = form.save(commit=False)
                contact.updated_by = request.user
                contact.save()
                summary = "Added a local contact." + (" Published it." if contact.published else "")
                record_change(request, "created", contact, summary)
            messages.success(request, f"“{contact.name}” has been added.")
            return redirect("signposting:staff_contacts")
    return _contact_form_page(request, form, None, duplicates)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("signposting.change_localcontact")
def staff_contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(LocalContact, pk=pk)
    form = LocalContactForm(request.POST if request.method == "POST" else None, instance=contact)
    duplicates = []
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        duplicates = unconfirmed_duplicates(form, LocalContact.objects.all())
        if not duplicates:
            save_staff_edit(request, form, contact.name)
            return redirect("signposting:staff_contacts")
    if request.method == "POST":
        # Checking the form wrote what was typed onto `contact`: the page's heading shows the stored name.
        contact = LocalContact.objects.get(pk=pk)
    return _contact_form_page(request, form, contact, duplicates)
