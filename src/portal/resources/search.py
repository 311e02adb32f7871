"""Searching and filtering the resource library.

Search looks at each resource's title, summary, organisation and topic names.

* On PostgreSQL: full-text search with the 'english' configuration (so "exploited" finds "exploitation"),
  the query read like a web search box (quotes for a phrase, "or", "-word"), ranked with title matches
  above topic matches above organisation and summary matches. When that finds nothing (a part-word such as
  "knif", or only stop words) the portable search below is tried, so a near miss still finds something.
* Anywhere else (SQLite, the one-command demo): every word of the query must appear, case-insensitively,
  in at least one of those fields; results are ranked by where the words appear (title first).

Filters narrow within a list with "or" (two topics: resources on either) and across lists with "and"
(a topic and an audience: resources with both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce

from portal.resources.models import Audience, Kind, Resource, Stage, Topic

MAX_QUERY_LENGTH = 200
# Words too common to narrow a search down; ignored by the portable search (PostgreSQL has its own list).
STOP_WORDS = frozenset(
    "a an and are as at be by for from how i in is it of on or the to what when where who with".split()
)


@dataclass
class Filters:
    """The choices from the filter panel: lists of slugs, already checked against the allowed values."""

    q: str = ""
    audiences: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.q or self.audiences or self.stages or self.topics or self.kinds)


def using_postgresql() -> bool:
    return connection.vendor == "postgresql"


def apply_filters(queryset: QuerySet[Resource], filters: Filters) -> QuerySet[Resource]:
    # Exists() rather than joins, so a resource with two matching topics is listed once.
    if filters.audiences:
        queryset = queryset.filter(
            Exists(
                Resource.audiences.through.objects.filter(resource=OuterRef("pk"), audience__slug__in=filters.audiences)
            )
        )
    if filters.stages:
        queryset = queryset.filter(
            Exists(Resource.stages.through.objects.filter(resource=OuterRef("pk"), stage__slug__in=filters.stages))
        )
    if filters.topics:
        queryset = queryset.filter(
            Exists(Resource.topics.through.objects.filter(resource=OuterRef("pk"), topic__slug__in=filters.topics))
        )
    if filters.kinds:
        queryset = queryset.filter(kind__in=filters.kinds)
    return queryset


def search(queryset: QuerySet[Resource], q: str) -> QuerySet[Resource]:
    """`queryset` narrowed to resources matching `q`, best first. An empty `q` changes nothing."""
    q = q.strip()[:MAX_QUERY_LENGTH]
    if not q:
        return queryset
    if using_postgresql():
        found = full_text_search(queryset, q)
        if found.exists():
            return found
    return portable_search(queryset, q)


def _topic_names() -> Subquery:
    """The resource's topic names in one string, for the search vector."""
    from django.contrib.postgres.aggregates import StringAgg

    names = (
        Topic.objects.filter(resources=OuterRef("pk"))
        .order_by()
        .values("resources")
        .annotate(names=StringAgg("name", delimiter=" "))
        .values("names")[:1]
    )
    return Subquery(names, output_field=TextField())


def full_text_search(queryset: QuerySet[Resource], q: str) -> QuerySet[Resource]:
    """PostgreSQL full-text search, ranked."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("topic_names", weight="B", config="english")
        + SearchVector("organisation", weight="C", config="english")
        + SearchVector("summary", weight="C", config="english")
    )
    query = SearchQuery(q, search_type="websearch", config="english")
    return (
        queryset.annotate(topic_names=Coalesce(_topic_names(), Value(""), output_field=TextField()))
        .annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "title", "pk")
    )


def search_words(q: str) -> list[str]:
    """The words of `q` worth matching: letters and digits, lower case, without stop words.

    A possessive "'s" and a plural's "s" are dropped ("Clare's" -> "clare", "lines" -> "line"), so the
    word is found in either form.
    """
    words = []
    for word in re.findall(r"[\w'’]+", q.lower().replace("’", "'")):
        word = word.strip("'")
        if word.endswith("'s"):
            word = word[:-2]
        word = word.replace("'", "")
        if not word or word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in words:
            words.append(word)
    return words


def portable_search(queryset: QuerySet[Resource], q: str) -> QuerySet[Resource]:
    """Every word in some field (icontains), ranked by where the words are. Works on any database."""
    words = search_words(q)
    if not words:
        return queryset.none()
    score = Value(0)
    for word in words:
        in_topic = Exists(Resource.topics.through.objects.filter(resource=OuterRef("pk"), topic__name__icontains=word))
        in_title = When(title__icontains=word, then=Value(8))
        queryset = queryset.filter(
            in_topic | Q(title__icontains=word) | Q(summary__icontains=word) | Q(organisation__icontains=word)
        )
        score = (
            score
            + Case(in_title, default=Value(0), output_field=IntegerField())
            + Case(When(in_topic, then=Value(4)), default=Value(0), output_field=IntegerField())
            + Case(When(organisation__icontains=word, then=Value(2)), default=Value(0), output_field=IntegerField())
            + Case(When(summary__icontains=word, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
    return queryset.annotate(rank=score).order_by("-rank", "title", "pk")


def filter_choices() -> dict[str, list]:
    """The options for each filter list, in display order."""
    return {
        "audience": list(Audience.objects.all()),
        "stage": list(Stage.objects.all()),
        "topic": list(Topic.objects.all()),
        "type": [(value, label) for value, label in Kind.choices],
    }
