"""How the site talks to PostgreSQL: the thread page's queries are planned once per connection."""

import pytest
from django.db import connection

from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def plans_by_statement() -> dict[str, tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return {statement: (generic, custom) for statement, generic, custom in cursor.fetchall()}


def test_a_thread_page_read_again_is_no_longer_planned_for_each_reader(client):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    post = PostFactory()
    CommentFactory.create_batch(3, post=post)
    client.force_login(UserFactory())  # signed-out readers would get the cached page

    for _ in range(12):
        assert client.get(post.get_absolute_url()).status_code == 200

    plans = plans_by_statement()
    [(thread_generic, _)] = [counts for statement, counts in plans.items() if 'FROM "comments_comment" c' in statement]
    [(post_generic, _)] = [
        counts for statement, counts in plans.items() if statement.startswith('SELECT "posts_post"."id"')
    ]
    # Prepared on the fifth run; after five more PostgreSQL keeps one plan (generic) and stops planning.
    assert thread_generic >= 1
    assert post_generic >= 1
