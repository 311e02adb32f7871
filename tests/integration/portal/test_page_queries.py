"""The pages benchmarks/portal.py measures read the database a fixed number of times, whatever they list: a
page that starts reading one row at a time (a deferred field, a missing prefetch) fails here before it shows
in the benchmark."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from portal.accounts.users import assign_role
from portal.feedback.models import FeedbackMessage

pytestmark = pytest.mark.django_db


def signed_in(client, role: str):
    user = get_user_model().objects.create_user(f"query-{role}")
    assign_role(user, role)
    client.force_login(user)
    return user


def test_the_resource_search_reads_the_database_at_most_three_times(client, django_assert_max_num_queries):
    response = client.get("/resources/", {"q": "knife"})
    assert response.status_code == 200 and response.context["count"] > 3
    # The search's matches, their rows (only the fields a result shows), their topics (PostgreSQL: fewer).
    with django_assert_max_num_queries(3):
        client.get("/resources/", {"q": "knife"})


def test_the_feedback_inbox_reads_the_database_the_same_number_of_times_for_a_full_page(
    client, django_assert_num_queries
):
    signed_in(client, "editor")
    # Synthetic messages (a scale check: nobody's words), more than a page of 20.
    FeedbackMessage.objects.bulk_create(
        FeedbackMessage(topic="website", message=f"Synthetic message {number}") for number in range(45)
    )
    client.get("/feedback/staff/")
    # Session, user, the permissions (the user's and the groups' in one query: portal.accounts.backends), the
    # status counts, the page of messages.
    with django_assert_num_queries(5):
        assert client.get("/feedback/staff/").status_code == 200
