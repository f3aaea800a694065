from io import StringIO

import pytest
from django.core.management import call_command

from forum.posts.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("rerender_html", *args, stdout=out)
    return out.getvalue()


def make_stale(post, html="<p>old rendering</p>"):
    Post.objects.filter(pk=post.pk).update(body_html=html)


def test_rerender_rewrites_stale_html():
    post = PostFactory(body="Some **bold** words")
    make_stale(post)

    output = run()

    post.refresh_from_db()
    assert post.body_html == "<p>Some <strong>bold</strong> words</p>\n"
    assert "posts: 1 of 1 re-rendered." in output


def test_rerender_leaves_current_rows_alone():
    PostFactory.create_batch(3)

    output = run()

    assert "posts: 0 of 3 re-rendered." in output


def test_rerender_keeps_updated_at():
    post = PostFactory()
    make_stale(post)
    updated_at = Post.objects.get().updated_at

    run()

    assert Post.objects.get().updated_at == updated_at


def test_rerender_walks_every_batch():
    posts = PostFactory.create_batch(5)
    for post in posts:
        make_stale(post)

    output = run("--batch-size", "2")

    assert "posts: 5 of 5 re-rendered." in output
    assert not Post.objects.filter(body_html="<p>old rendering</p>").exists()


def test_rerender_updates_a_batch_in_one_query(django_assert_num_queries):
    for post in PostFactory.create_batch(10):
        make_stale(post)

    with django_assert_num_queries(3):  # read the batch, one UPDATE for all of it, the empty read that ends
        run("--only", "posts", "--batch-size", "10")


def test_dry_run_changes_nothing():
    post = PostFactory()
    make_stale(post)

    output = run("--dry-run")

    assert Post.objects.get().body_html == "<p>old rendering</p>"
    assert "posts: 1 of 1 would change." in output


def test_only_limits_the_kinds_of_text():
    post = PostFactory()
    make_stale(post)

    output = run("--only", "posts")

    assert output.startswith("posts:")
