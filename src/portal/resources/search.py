"""Searching and filtering the resource library.

Search is real full-text search on both databases the portal runs on, with the same behaviour:

* Each resource's title, tags (its topic and audience names), organisation and summary are searched.
  Results are ranked first by how many of the query's terms are in the title, then by the database's own
  relevance score, weighting the fields in that order (title, tags, organisation, summary).
* Words are matched whole and stemmed with the Porter/Snowball English stemmer, so "exploited" finds
  "exploitation" and "DV" never matches "adverse". On SQLite that is an FTS5 index with the porter
  tokenizer (`portal.resources.search_index`, kept up to date on every save); on PostgreSQL it is
  full-text search with the 'english' configuration.
* A maintained list of synonyms and abbreviations (search_synonyms.txt) widens each term: "CCE" also looks
  for "child criminal exploitation", "stabbing" for "knife", "teenager" for "young people". A term of
  several words ("county lines") is matched as a phrase.
* Every term of the query must match (through one of its alternatives); common words ("the", "what") are
  left out.

Filters narrow within a list with "or" (two topics: resources on either) and across lists with "and"
(a topic and an audience: resources with both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache as once
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Exists, OuterRef, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce

from portal.resources.models import Audience, Kind, LocalArea, Resource, Stage, Topic

MAX_QUERY_LENGTH = 200
SYNONYMS_FILE = Path(__file__).resolve().parent / "search_synonyms.txt"
# Words too common to narrow a search down (PostgreSQL's english configuration drops these too).
STOP_WORDS = frozenset(
    "a about an and any are as at be by can do for from have how i if in into is it me my of on or our "
    "should so someone than that the their them they this to was we what when where which who why will "
    "with you your".split()
)
# Weights of the indexed fields, most important first: title, tags, organisation, summary.
FIELD_WEIGHTS = (10.0, 5.0, 2.0, 1.0)

Phrase = tuple[str, ...]


@dataclass
class Filters:
    """The choices from the filter panel: lists of slugs, already checked against the allowed values."""

    q: str = ""
    audiences: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.q or self.audiences or self.stages or self.topics or self.kinds or self.areas)


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
    if filters.areas:
        queryset = queryset.filter(local_area__in=filters.areas)
    return queryset


def tokens(text: str) -> list[str]:
    """Lower-case words of letters and digits, as both databases' tokenizers split them ("Clare's" -> clare)."""
    text = re.sub(r"['’]s\b", "", text.lower())
    return re.findall(r"[^\W_]+", text)


def parse_synonyms(text: str) -> dict[Phrase, list[Phrase]]:
    """search_synonyms.txt -> {term: [alternatives]}, each a phrase (a tuple of words)."""
    synonyms: dict[Phrase, list[Phrase]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        term, equals, alternatives = line.partition("=")
        phrases = [tuple(tokens(alternative)) for alternative in alternatives.split(";")]
        if not equals or not tokens(term) or not all(phrases):
            raise ValueError(f"{SYNONYMS_FILE.name} line {number}: expected 'term = alternative; alternative'")
        synonyms[tuple(tokens(term))] = phrases
    return synonyms


@once
def synonyms() -> dict[Phrase, list[Phrase]]:
    return parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8"))


def query_terms(q: str, table: dict[Phrase, list[Phrase]] | None = None) -> list[list[Phrase]]:
    """The query as terms that must all match, each a list of alternative phrases (the term itself first).

    The longest synonym term that fits is taken first ("county lines" before "county"); other words are
    terms of their own unless they are common words."""
    table = synonyms() if table is None else table
    longest = max((len(term) for term in table), default=1)
    words = tokens(q[:MAX_QUERY_LENGTH])
    terms: list[list[Phrase]] = []
    position = 0
    while position < len(words):
        for size in range(min(longest, len(words) - position), 0, -1):
            candidate = tuple(words[position : position + size])
            if candidate in table:
                alternatives = list(dict.fromkeys([candidate, *table[candidate]]))
                position += size
                break
        else:
            word = words[position]
            position += 1
            if word in STOP_WORDS:
                continue
            alternatives = [(word,)]
        if alternatives not in terms:
            terms.append(alternatives)
    return terms


def search(queryset: QuerySet[Resource], q: str) -> list[Resource]:
    """The resources of `queryset` matching `q`, best first. A query of nothing but common words, or
    nothing at all, finds nothing."""
    terms = query_terms(q)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        return list(_postgresql_search(queryset, terms))
    return _sqlite_search(queryset, terms)


def fts5_term(alternatives: list[Phrase]) -> str:
    """One term as an FTS5 expression: any of its phrases."""
    # Tokens hold letters and digits only: nothing in them to escape.
    return "(" + " OR ".join('"' + " ".join(words) + '"' for words in alternatives) + ")"


def fts5_query(terms: list[list[Phrase]]) -> str:
    """An FTS5 MATCH expression: every term."""
    return " AND ".join(fts5_term(alternatives) for alternatives in terms)


def _sqlite_search(queryset: QuerySet[Resource], terms: list[list[Phrase]]) -> list[Resource]:
    from portal.resources.search_index import TABLE

    weights = ", ".join(str(weight) for weight in FIELD_WEIGHTS)
    in_title = " + ".join(f"(rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s))" for _ in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"ORDER BY {in_title} DESC, bm25({TABLE}, {weights}), rowid",
            [fts5_query(terms), *[f"title : {fts5_term(alternatives)}" for alternatives in terms]],
        )
        ids = [row[0] for row in cursor.fetchall()]
    # The index ranks; the queryset (with the filters) decides which of them are shown.
    found = queryset.in_bulk(ids) if ids else {}
    return [found[pk] for pk in ids if pk in found]


def _names(model) -> Subquery:
    """The resource's topic (or audience) names in one string."""
    from django.contrib.postgres.aggregates import StringAgg

    names = (
        model.objects.filter(resources=OuterRef("pk"))
        .order_by()
        .values("resources")
        .annotate(names=StringAgg("name", delimiter=" "))
        .values("names")[:1]
    )
    return Coalesce(Subquery(names, output_field=TextField()), Value(""), output_field=TextField())


def _postgresql_search(queryset: QuerySet[Resource], terms: list[list[Phrase]]) -> QuerySet[Resource]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("topic_names", "audience_names", weight="B", config="english")
        + SearchVector("organisation", weight="C", config="english")
        + SearchVector("summary", weight="D", config="english")
    )
    term_queries = []
    for alternatives in terms:
        either = None
        for words in alternatives:
            phrase = SearchQuery(" ".join(words), search_type="phrase", config="english")
            either = phrase if either is None else either | phrase
        term_queries.append(either)
    query = term_queries[0]
    for term_query in term_queries[1:]:
        query = query & term_query
    in_title = sum(
        (Case(When(title_vector=term_query, then=Value(1)), default=Value(0)) for term_query in term_queries),
        Value(0),
    )
    title, tags, organisation, summary = FIELD_WEIGHTS
    weights = [weight / title for weight in (summary, organisation, tags, title)]  # D, C, B, A, at most 1
    return (
        queryset.annotate(topic_names=_names(Topic), audience_names=_names(Audience))
        .annotate(search_vector=vector, title_vector=SearchVector("title", config="english"))
        .filter(search_vector=query)
        .annotate(title_terms=in_title, rank=SearchRank(vector, query, weights=weights, normalization=Value(1)))
        .order_by("-title_terms", "-rank", "title", "pk")
    )


FILTER_CHOICES_CACHE_KEY = "resources:filter-choices"


def filter_choices() -> dict[str, list[tuple[str, str, str]]]:
    """The options for each filter list, in display order: (value, label, hint).

    The lists change only through a migration or the admin, so they are kept in the cache (every page of
    the library needs them); saving or deleting a term clears it (ResourcesConfig.ready)."""

    def terms(model) -> list[tuple[str, str, str]]:
        return list(model.objects.values_list("slug", "name", "hint"))

    def read() -> dict[str, list[tuple[str, str, str]]]:
        return {
            "area": [(value, label, "") for value, label in LocalArea.choices],
            "audience": terms(Audience),
            "stage": terms(Stage),
            "topic": terms(Topic),
            "type": [(value, label, "") for value, label in Kind.choices],
        }

    return cache.get_or_set(FILTER_CHOICES_CACHE_KEY, read, timeout=None)


def forget_filter_choices(**kwargs) -> None:
    cache.delete(FILTER_CHOICES_CACHE_KEY)
