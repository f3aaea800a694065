"""Closing and commenting cannot race: no comment commits after the close took effect.

Real concurrent transactions, each thread on its own database connection. SQLite
serialises every write on the whole database, so the race only exists (and is only
tested) on PostgreSQL.
"""

import threading
import time

import pytest
from django.db import connection, connections

from accounts.models import User
from forum.comments.models import Comment
from forum.comments.services import CommentRefused, comment_create
from forum.moderation.models import ModerationAction
from forum.moderation.services import discussion_close
from forum.posts.models import Post
from tests.factories import PostFactory, UserFactory

WRITERS = 8
MAX_ATTEMPTS = 200  # per writer; each stops at its first refusal, long before this
CLOSE_AFTER = 0.05  # seconds of commenting before the close, so some comments land first

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL: SQLite allows one writer at a time, so there is no race to test.",
)


@pytest.fixture
def scene(django_db_setup, django_db_blocker):
    """A post, a moderator and the writers, committed so every thread sees them; deleted afterwards.

    Not `transactional_db`: its flush would also empty the rows migrations put in the
    reused test database (the Moderators group), and later runs would miss them.
    """
    with django_db_blocker.unblock():
        post = PostFactory()
        moderator = UserFactory(is_staff=True)
        writers = UserFactory.create_batch(WRITERS)
        try:
            yield post, moderator, writers
        finally:
            ModerationAction.objects.filter(post=post).delete()
            Comment.objects.filter(post=post).delete()
            post.delete()
            User.objects.filter(pk__in=[post.author_id, moderator.pk, *(writer.pk for writer in writers)]).delete()


def _in_own_connection(work):
    """Run `work` in a thread's own connection, and close it whatever happens."""

    def run():
        try:
            work()
        finally:
            connections.close_all()

    return run


def test_no_comment_commits_after_the_close(scene):
    post, moderator, writers = scene
    start = threading.Barrier(WRITERS + 1)
    refusals: list[CommentRefused] = []
    failures: list[BaseException] = []

    def write(author):
        start.wait()
        for attempt in range(MAX_ATTEMPTS):
            try:
                comment_create(post=post, author=author, body=f"Attempt {attempt}")
            except CommentRefused as refused:
                refusals.append(refused)
                return
            except BaseException as error:
                failures.append(error)
                return

    def close():
        start.wait()
        time.sleep(CLOSE_AFTER)
        try:
            discussion_close(post=post, actor=moderator, reason="Closed mid-flow")
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=_in_own_connection(lambda a=a: write(a))) for a in writers]
    threads.append(threading.Thread(target=_in_own_connection(close)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    closed_at = Post.objects.get(pk=post.pk).closed_at
    saved = list(Comment.objects.filter(post=post).values_list("created_at", flat=True))
    assert not failures
    assert not any(thread.is_alive() for thread in threads)
    assert time.monotonic() - started < 5
    assert closed_at is not None
    assert saved, "no comment landed before the close: the race was not exercised"
    assert max(saved) <= closed_at
    assert len(refusals) == WRITERS
    assert {refused.refusal.code for refused in refusals} == {"comments_closed"}
