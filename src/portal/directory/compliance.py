"""A compliance check of an Open Referral UK API in the style of the ORUK validator (HSDS-UK 3.0 profile).

The validator's published rules, as its test profile and the UK compliance page state them:
* Level 1, basic checks (required; a failure fails the feed): the base endpoint `/` returns the API's meta
  information (version, profile, openapi_url); `/services` returns a paginated list of services in the
  service_list schema with the page fields; `/services/{id}` for ids taken from that list returns a fully
  nested service in the service schema.
* Level 2, filters and pagination: `/services` accepts the profile's parameters (search, page, per_page,
  taxonomy_term_id, taxonomy_id, minimum_age, maximum_age, day) and still returns a valid page; `per_page`
  is honoured; a page past the end is empty.
* Openness and security: no key or sign-in, and every response carries `Access-Control-Allow-Origin: *`.

`check(get)` runs them through `get(path) -> (status, headers, body)`, so the same rules run against the test
client in the tests and against a live server (`manage.py check_oruk_api URL`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from portal.directory.oruk import validation_errors

Get = Callable[[str], tuple[int, Mapping[str, str], object]]
PAGE_FIELDS = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
}
LEVEL_2_QUERIES = (
    "search=a",
    "taxonomy_term_id=00000000-0000-4000-8000-000000000000",
    "taxonomy_id=00000000-0000-4000-8000-000000000000",
    "minimum_age=10",
    "maximum_age=25",
    "day=MO",
)
MAX_DETAIL_CHECKS = 20


@dataclass
class Result:
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def expect(self, condition: bool, rule: str, detail: str = "") -> bool:
        if condition:
            self.passed.append(rule)
        else:
            self.failed.append(f"{rule}: {detail}" if detail else rule)
        return condition


def _page_problems(body) -> list[str]:
    if not isinstance(body, dict):
        return ["the answer is not a JSON object"]
    problems = [
        f"{name} missing or not {kind.__name__}"
        for name, kind in PAGE_FIELDS.items()
        if not isinstance(body.get(name), kind) or (kind is int and isinstance(body.get(name), bool))
    ]
    if not isinstance(body.get("contents"), list):
        problems.append("contents missing or not a list")
    elif isinstance(body.get("size"), int) and body["size"] != len(body["contents"]):
        problems.append("size is not the number of items in contents")
    return problems


def _list_problems(body) -> list[str]:
    problems = _page_problems(body)
    if not problems:
        for number, item in enumerate(body["contents"], start=1):
            problems += [
                f"item {number}, {where}: {message}" for where, message in validation_errors(item, "service_list")
            ]
    return problems


def check(get: Get) -> Result:
    result = Result()

    def fetch(path: str, rule: str):
        status, headers, body = get(path)
        result.expect(status == 200, f"{rule}: answers 200 without a key", f"{path} answered {status}")
        result.expect(
            headers.get("Access-Control-Allow-Origin") == "*",
            f"{rule}: CORS Access-Control-Allow-Origin: *",
            f"{path} has {headers.get('Access-Control-Allow-Origin')!r}",
        )
        return status, body

    # Level 1
    status, body = fetch("/", "Level 1 API meta information")
    if status == 200:
        result.expect(
            isinstance(body, dict)
            and isinstance(body.get("version"), str)
            and isinstance(body.get("openapi_url"), str),
            "Level 1 API meta information: version and openapi_url",
            f"got {body!r}"[:200],
        )
    status, body = fetch("/services", "Level 1 services list")
    ids: list[str] = []
    if status == 200:
        problems = _list_problems(body)
        result.expect(
            not problems, "Level 1 services list: paginated, in the service_list schema", "; ".join(problems[:5])
        )
        if not problems:
            ids = [item["id"] for item in body["contents"]]
    result.expect(bool(ids), "Level 1 services list: has services to check", "no services listed")
    for service_id in ids[:MAX_DETAIL_CHECKS]:
        status, detail = fetch(f"/services/{service_id}", "Level 1 service by id")
        if status == 200:
            problems = [f"{where}: {message}" for where, message in validation_errors(detail, "service")]
            result.expect(not problems, f"Level 1 service {service_id} in the service schema", "; ".join(problems[:5]))
            result.expect(
                isinstance(detail, dict) and detail.get("id") == service_id,
                f"Level 1 service {service_id}: the id asked for",
            )

    # Level 2
    for query in LEVEL_2_QUERIES:
        status, body = fetch(f"/services?{query}", f"Level 2 filter {query.split('=')[0]}")
        if status == 200:
            problems = _list_problems(body)
            result.expect(not problems, f"Level 2 filter {query}: a valid page", "; ".join(problems[:5]))
    status, body = fetch("/services?per_page=1", "Level 2 per_page")
    if status == 200 and not _page_problems(body):
        result.expect(len(body["contents"]) <= 1, "Level 2 per_page=1 gives at most one service")
        past = body["total_pages"] + 1
        status, body = fetch(f"/services?per_page=1&page={past}", "Level 2 page past the end")
        if status == 200 and not _page_problems(body):
            result.expect(body["contents"] == [], "Level 2 a page past the end is empty", f"page {past}")
    return result
