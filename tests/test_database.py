"""How the site talks to its database: queries and inserts compiled once, and on PostgreSQL planned once."""

from datetime import timedelta

import pytest
from django.db import connection, models
from django.db.models import Exists, OuterRef, signals
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from forum.comments.models import Comment
from forum.comments.services import count_in
from forum.compiled import CompiledInsert, CompiledQuery, CompiledUpdate, Placeholder
from forum.posts.models import Post
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
    # This thread's rows (its id is in the text), and the post looked up by its slug.
    [(thread_generic, _)] = [
        counts
        for statement, counts in plans.items()
        if statement.startswith('SELECT c."id"') and f'c."post_id" = {post.pk} ' in statement
    ]
    post_lookups = [
        counts
        for statement, counts in plans.items()
        if statement.startswith('SELECT "posts_post"."id"') and '"posts_post"."slug" = ($' in statement
    ]
    # Prepared on the fifth run; after five more PostgreSQL keeps one plan (generic) and stops planning.
    assert thread_generic >= 1
    assert any(generic >= 1 for generic, _ in post_lookups)


def test_a_compiled_query_is_built_once_and_fills_in_each_runs_values():
    first, second = UserFactory(username="first"), UserFactory(username="second")
    CommentFactory(author=second)
    builds = []

    def build():
        builds.append(1)
        wrote = Exists(Comment.objects.filter(author=OuterRef("pk")))
        return User.objects.annotate(wrote=wrote).filter(pk=Placeholder("pk", models.BigIntegerField()))

    query = CompiledQuery(build)
    [found_first] = query.run(pk=first.pk)
    [found_second] = query.run(pk=second.pk)

    assert len(builds) == 1
    assert (found_first.username, found_second.username) == ("first", "second")
    # Converted as the ORM converts it: a bool on SQLite too, not 0 or 1.
    assert found_first.wrote is False
    assert found_second.wrote is True
    assert query.run(pk=0) == []
    assert query.first(pk=second.pk).username == "second"
    assert query.first(pk=0) is None


def test_a_compiled_query_brings_its_related_rows_and_leaves_deferred_fields_behind(django_assert_num_queries):
    comment = CommentFactory(author=UserFactory(username="writer"))

    query = CompiledQuery(
        lambda: (
            Comment.objects.select_related("author", "post")
            .defer("body")
            .filter(pk=Placeholder("pk", models.BigIntegerField()))
        )
    )
    with django_assert_num_queries(1):
        [found] = query.run(pk=comment.pk)
        assert (found.author.username, found.post.title) == ("writer", comment.post.title)
        # Converted as the ORM converts it: an aware datetime on SQLite too, not text.
        assert found.created_at == comment.created_at

    assert found.get_deferred_fields() == {"body"}
    assert found._state.adding is False


def test_a_compiled_update_is_built_once_and_changes_only_the_rows_its_values_pick():
    one, other = PostFactory(), PostFactory()
    builds = []

    def build():
        builds.append(1)
        posts = Post.objects.filter(pk=Placeholder("pk", models.BigIntegerField()))
        return posts, {"comment_count": models.F("comment_count") + Placeholder("by", models.IntegerField())}

    update = CompiledUpdate(build)

    assert update.run(pk=one.pk, by=2) == 1
    assert update.run(pk=one.pk, by=3) == 1
    assert update.run(pk=0, by=1) == 0
    assert len(builds) == 1
    counts = dict(Post.objects.filter(pk__in=[one.pk, other.pk]).values_list("pk", "comment_count"))
    assert counts == {one.pk: 5, other.pk: 0}


def test_counting_a_comment_in_keeps_the_latest_time_whichever_comes_first():
    post = PostFactory()
    now = timezone.now()

    count_in(post.pk, at=now)
    count_in(post.pk, at=now - timedelta(days=3))  # a restored comment keeps its own time

    post.refresh_from_db()
    assert (post.comment_count, post.last_comment_at) == (2, now)
    count_in(post.pk, at=now + timedelta(microseconds=1))
    post.refresh_from_db()
    assert post.last_comment_at == now + timedelta(microseconds=1)


def _row(comment_pk: int) -> dict:
    return Comment.objects.filter(pk=comment_pk).values().get()


@pytest.mark.parametrize("own_key", [False, True], ids=["key-from-database", "key-given"])
def test_a_compiled_insert_writes_the_row_save_writes_and_tells_the_same_listeners(own_key):
    post, author = PostFactory(), UserFactory()
    parent = CommentFactory(post=post)
    made = {
        "post": post, "parent": parent, "root_id": parent.pk, "author": author, "path": "0000000001", "depth": 1,
        "body": "Hello", "body_html": "<p>Hello</p>\n", "created_at": timezone.now(),
        "hold_reason": "A reason", "is_urgent": True,
    }  # fmt: skip
    saved = Comment(**made)
    saved.save()
    heard = []

    def listen(signal_name):
        def receiver(sender, instance, **kwargs):
            heard.append((signal_name, instance, kwargs.get("created"), kwargs["using"]))

        return receiver

    on_pre, on_post = listen("pre_save"), listen("post_save")
    signals.pre_save.connect(on_pre, sender=Comment)
    signals.post_save.connect(on_post, sender=Comment)
    try:
        inserted = Comment(**made, pk=saved.pk + 1000 if own_key else None)
        assert CompiledInsert(Comment).run(inserted) is inserted
    finally:
        signals.pre_save.disconnect(on_pre, sender=Comment)
        signals.post_save.disconnect(on_post, sender=Comment)

    assert isinstance(inserted.pk, int)
    if own_key:
        assert inserted.pk == saved.pk + 1000
    else:
        assert inserted.pk > saved.pk
    assert (inserted._state.adding, inserted._state.db) == (False, "default")
    assert heard == [("pre_save", inserted, None, "default"), ("post_save", inserted, True, "default")]
    written, expected = _row(inserted.pk), _row(saved.pk)
    del written["id"], expected["id"]
    # save() renders the HTML from the text; the compiled insert writes what it is given.
    assert written == expected


def test_a_compiled_insert_is_written_once_for_each_kind_of_key(monkeypatch):
    insert = CompiledInsert(Comment)
    written = []
    compile_ = insert._compile

    def counting(connection, with_pk):
        written.append(with_pk)
        return compile_(connection, with_pk)

    monkeypatch.setattr(insert, "_compile", counting)
    post = PostFactory()
    with CaptureQueriesContext(connection) as statements:
        for body in ("a", "b"):
            insert.run(Comment(post=post, body=body, body_html=f"<p>{body}</p>"))
        taken = max(Comment.objects.values_list("pk", flat=True)) + 10
        for pk in (taken, taken + 1):
            insert.run(Comment(pk=pk, post=post, body=str(pk), body_html=""))

    assert written == [False, True]
    assert len(statements) == 5  # four inserts and the look-up of the largest key
    bodies = list(Comment.objects.filter(post=post).order_by("pk").values_list("body", flat=True))
    assert bodies == ["a", "b", str(taken), str(taken + 1)]
