"""Consultation pages: staff open and read consultations; partners answer for their organisation; the
public answers anonymously."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.audit import record_change
from portal.accounts.decorators import staff_permission_required
from portal.common.ratelimit import client_address, take_submission
from portal.consultations.forms import AnswersForm, ConsultationForm, QuestionFormSet, TagForm
from portal.consultations.models import Answer, Consultation, Question, Response
from portal.consultations.results import question_results
from portal.core.spreadsheets import safe_cell
from portal.directory.themes import THEME_BY_SLUG

STASH = "consultation-answers-{pk}"
KEPT_AFTER_SIGN_IN = (
    "You were signed out before your answers were saved. We kept them as a draft: check them and send when ready."
)


# --- Staff ---------------------------------------------------------------------------------------------


@require_safe
@staff_permission_required("consultations.view_consultation")
def staff_list(request: HttpRequest) -> HttpResponse:
    consultations = Consultation.objects.all()
    return render(request, "consultations/staff/list.html", {"consultations": consultations})


def _edit_page(request: HttpRequest, consultation: Consultation | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ConsultationForm(data, instance=consultation)
    questions = QuestionFormSet(data, instance=consultation or Consultation(), prefix="questions")
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if consultation is None:
                saved.created_by = request.user
            saved.save()
            questions.instance = saved
            for position, question in enumerate(questions.save(commit=False)):
                question.position = position
                question.save()
            for question in questions.deleted_objects:
                question.delete()
            record_change(
                request, "created" if consultation is None else "changed", saved, "Consultation and questions"
            )
        messages.success(request, f"“{saved.title}” has been saved.")
        return redirect("consultations:staff_results", pk=saved.pk)
    return render(
        request, "consultations/staff/form.html", {"form": form, "questions": questions, "consultation": consultation}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("consultations.add_consultation")
def staff_add(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("consultations.change_consultation")
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_page(request, get_object_or_404(Consultation, pk=pk))


@require_safe
@staff_permission_required("consultations.view_consultation")
def staff_results(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    answers = (
        Answer.objects.filter(question__consultation=consultation, response__submitted_at__isnull=False)
        .select_related("question", "response__organisation")
        .order_by("question__position", "pk")
    )
    waiting = [answer for answer in answers if answer.moderation == Answer.Moderation.WAITING]
    readable = [answer for answer in answers if answer.visible_to_others and answer.text]
    for answer in readable:
        answer.theme_labels = [THEME_BY_SLUG[slug].name for slug in answer.themes if slug in THEME_BY_SLUG]
    return render(
        request,
        "consultations/staff/results.html",
        {
            "consultation": consultation,
            "results": question_results(consultation),
            "waiting": waiting if request.user.has_perm("consultations.moderate_answer") else [],
            "readable": readable,
            "tag_form": TagForm(),
            "responses": consultation.responses.filter(submitted_at__isnull=False).count(),
        },
    )


@require_POST
@staff_permission_required("consultations.change_answer")
def staff_tag(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(Answer, pk=pk)
    form = TagForm(request.POST)
    if form.is_valid():
        answer.themes = form.cleaned_data["themes"]
        answer.tagged_by = request.user
        answer.save(update_fields=["themes", "tagged_by", "updated_at"])
        record_change(request, "tagged", answer, "Themes: " + (", ".join(answer.themes) or "none"))
        messages.success(request, "The themes have been saved.")
    return redirect("consultations:staff_results", pk=answer.question.consultation_id)


@require_POST
@staff_permission_required("consultations.moderate_answer")
def staff_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(Answer, pk=pk, moderation=Answer.Moderation.WAITING)
    release = request.POST.get("decision") == "release"
    answer.moderation = Answer.Moderation.RELEASED if release else Answer.Moderation.WITHHELD
    answer.save(update_fields=["moderation", "updated_at"])
    record_change(request, "released" if release else "withheld", answer, "Public answer read by staff")
    messages.success(request, "The answer has been released." if release else "The answer has been withheld.")
    return redirect("consultations:staff_results", pk=answer.question.consultation_id)


EXPORT_COLUMNS = ["Question", "About gaps in", "Theme of the question", "Area", "From", "Organisation", "Answer",
                  "Rating", "Themes tagged", "Sent"]  # fmt: skip


@require_safe
@staff_permission_required("consultations.view_consultation", "consultations.export_consultation")
def staff_export(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    answers = (
        Answer.objects.filter(question__consultation=consultation, response__submitted_at__isnull=False)
        .exclude(moderation__in=[Answer.Moderation.WAITING, Answer.Moderation.WITHHELD])
        .select_related("question", "response__organisation")
        .order_by("question__position", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for answer in answers:
        question = answer.question
        writer.writerow(
            safe_cell(value)
            for value in (
                question.text,
                question.get_gap_kind_display(),
                question.get_theme_display(),
                question.area_code,
                answer.response.get_channel_display(),
                answer.response.organisation.name if answer.response.organisation_id else "",
                answer.text,
                answer.rating or "",
                "; ".join(THEME_BY_SLUG[slug].name for slug in answer.themes if slug in THEME_BY_SLUG),
                timezone.localtime(answer.response.submitted_at).strftime("%Y-%m-%d"),
            )
        )
        count += 1
    record_change(request, "exported", consultation, f"Exported {count} answers as CSV")
    return response


# --- Partners ------------------------------------------------------------------------------------------


@require_safe
@staff_permission_required("consultations.answer_consultation")
def partner_list(request: HttpRequest) -> HttpResponse:
    organisations = list(request.user.organisations.all())
    responses = {
        response.consultation_id: response
        for response in Response.objects.filter(organisation__in=organisations).select_related("organisation")
    }
    consultations = [(consultation, responses.get(consultation.pk)) for consultation in Consultation.objects.all()]
    return render(
        request, "consultations/partner_list.html", {"consultations": consultations, "organisations": organisations}
    )


def _save_answers(response: Response, form: AnswersForm, *, public: bool) -> None:
    """Replace the response's answers with what the form holds."""
    response.answers.all().delete()
    for question, value in form.answered():
        rating = int(value) if question.kind == Question.Kind.RATING else None
        needs_reading = public and question.kind == Question.Kind.TEXT
        Answer.objects.create(
            response=response,
            question=question,
            text="" if rating else value,
            rating=rating,
            moderation=Answer.Moderation.WAITING if needs_reading else Answer.Moderation.NOT_NEEDED,
        )
    response.save()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def partner_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's answers for their organisation. Every "Save" keeps a draft; if the sign-in has timed out
    when they send the page, what they typed is kept in the session and saved as their draft once they have
    signed in again."""
    consultation = get_object_or_404(Consultation, pk=pk)
    stash = STASH.format(pk=pk)
    if not request.user.is_authenticated:
        if request.method == "POST":
            request.session[stash] = {
                key: request.POST.getlist(key) for key in request.POST if key.startswith("question_")
            }
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("consultations.answer_consultation"):
        raise PermissionDenied
    organisation = request.user.organisations.order_by("name").first()
    if organisation is None:
        return render(request, "directory/mapping/no_organisation.html", status=403)
    response, _ = Response.objects.get_or_create(
        consultation=consultation,
        organisation=organisation,
        defaults={"channel": Response.Channel.PARTNERS, "user": request.user},
    )
    questions = list(consultation.questions.all())
    stashed = request.session.pop(stash, None)
    if request.method == "POST" or stashed:
        data = request.POST if request.method == "POST" else _query_dict(stashed)
        form = AnswersForm(data, questions=questions, channel="partners")
        if not consultation.is_open:
            messages.error(
                request, f"This consultation closed on {consultation.closes_on:%d %B %Y}: nothing was saved."
            )
        elif response.submitted_at:
            messages.error(request, "Your organisation has already sent its answers.")
        elif form.is_valid():
            sending = request.POST.get("action") == "send"
            if not sending or form.require_an_answer():
                with transaction.atomic():
                    response.user = request.user
                    if sending:
                        response.submitted_at = timezone.now()
                    _save_answers(response, form, public=False)
                if stashed:
                    messages.success(request, KEPT_AFTER_SIGN_IN)
                elif sending:
                    messages.success(request, "Your organisation's answers have been sent. Thank you.")
                    return redirect("consultations:partner_list")
                else:
                    messages.success(request, "Your answers have been saved as a draft.")
                    return redirect("consultations:partner_answer", pk=pk)
    else:
        initial = {
            AnswersForm.field_name(answer.question): str(answer.rating) if answer.rating else answer.text
            for answer in response.answers.select_related("question")
        }
        form = AnswersForm(initial=initial, questions=questions, channel="partners")
    return render(
        request,
        "consultations/answer.html",
        {
            "consultation": consultation,
            "form": form,
            "response": response,
            "organisation": organisation,
            "public": False,
        },
    )


def _query_dict(values: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, items in values.items():
        data.setlist(key, items)
    return data


# --- The public ----------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def public_answer(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    if not consultation.public:
        raise Http404("No such consultation")
    questions = list(consultation.questions.all())
    form = AnswersForm(request.POST or None, questions=questions, channel="public")
    status = 200
    if request.method == "POST" and consultation.is_open and form.is_valid() and form.require_an_answer():
        # Shares the feedback form's limit on anonymous messages from one address (no address is stored).
        if not take_submission(client_address(request)):
            form.add_error(None, "You have sent several answers in a short time. Wait 10 minutes and try again.")
            status = 429
        else:
            with transaction.atomic():
                response = Response.objects.create(
                    consultation=consultation, channel=Response.Channel.PUBLIC, submitted_at=timezone.now()
                )
                _save_answers(response, form, public=True)
            return redirect("consultations:public_thanks", pk=pk)
    return render(
        request,
        "consultations/answer.html",
        {"consultation": consultation, "form": form, "public": True},
        status=status,
    )


@require_safe
def public_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk, public=True)
    return render(request, "consultations/thanks.html", {"consultation": consultation})
