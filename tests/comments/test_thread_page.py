from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.posts.models import Post
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_heading_uses_singular_for_one_comment(client):
    comment = CommentFactory(post=PostFactory(title="Naloxone"))

    response = client.get(comment.post.get_absolute_url())

    assert "1 comment on “Naloxone”" in response.text


def test_heading_uses_plural_and_counts_only_visible_comments(client):
    post = PostFactory(title="Naloxone")
    CommentFactory.create_batch(3, post=post)
    gone = CommentFactory(post=post)
    client.force_login(gone.author)
    client.post(reverse("comments:delete", kwargs={"pk": gone.pk}))
    client.logout()

    response = client.get(post.get_absolute_url())

    assert "3 comments on “Naloxone”" in response.text


def test_thread_is_nested_ordered_lists_of_articles(client):
    top = CommentFactory()
    CommentFactory(post=top.post, parent=top)

    response = client.get(top.post.get_absolute_url())

    assert response.text.count('<ol class="comment-list"><li id="comment-') == 1
    assert response.text.count('<details class="replies" open><summary>1 reply</summary><ol><li id="comment-') == 1
    assert response.text.count("<article aria-labelledby=") == 2
    assert f'href="#comment-{top.pk}"><time datetime=' in response.text


def test_replies_past_the_display_depth_say_whom_they_answer(client, settings):
    settings.COMMENTS_MAX_DISPLAY_DEPTH = 2
    post = PostFactory()
    parent = None
    for name in ["Ana", "Ben", "Cai", "Dee"]:
        parent = CommentFactory(post=post, parent=parent, author=UserFactory(display_name=name))

    response = client.get(post.get_absolute_url())

    assert "in reply to Cai" in response.text
    assert "in reply to Ben" not in response.text


def test_collapsible_subtree_says_how_many_replies_it_hides(client):
    top = CommentFactory()
    reply = CommentFactory(post=top.post, parent=top)
    CommentFactory(post=top.post, parent=reply)

    response = client.get(top.post.get_absolute_url())

    assert '<details class="replies" open>' in response.text
    assert "<summary>2 replies</summary>" in response.text
    assert "<summary>1 reply</summary>" in response.text


def test_reply_link_places_the_form_under_that_comment(client):
    top = CommentFactory()
    other = CommentFactory(post=top.post)
    client.force_login(UserFactory())

    response = client.get(f"{top.post.get_absolute_url()}?replyto={top.pk}")

    html = response.text
    assert html.index(f'id="comment-{top.pk}"') < html.index('id="reply-form"') < html.index(f'id="comment-{other.pk}"')
    assert f'name="parent" value="{top.pk}"' in html


def test_closed_post_says_comments_are_closed_and_hides_reply_links(client):
    comment = CommentFactory()
    Post.objects.filter(pk=comment.post_id).update(closed_at=timezone.now(), close_reason="Thread ran its course.")
    client.force_login(UserFactory())

    response = client.get(comment.post.get_absolute_url())

    assert "Comments are closed." in response.text
    assert "Thread ran its course." in response.text
    assert 'id="reply-form"' not in response.text
    assert "?replyto=" not in response.text


def test_comment_on_closed_post_is_refused_with_the_text_shown_back(client):
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(closed_at=timezone.now(), close_reason="Cooling off.")
    client.force_login(UserFactory())

    response = client.post(reverse("comments:create", kwargs={"slug": post.slug}), {"body": "My long story"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Comments are closed." in response.text
    assert "Cooling off." in response.text
    assert "My long story" in response.text
    assert not Comment.objects.exists()


def test_closed_refusal_answers_json_when_asked(client):
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(closed_at=timezone.now(), close_reason="Cooling off.")
    client.force_login(UserFactory())

    response = client.post(
        reverse("comments:create", kwargs={"slug": post.slug}), {"body": "x"}, headers={"Accept": "application/json"}
    )

    body = response.json()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert body["code"] == "comments_closed"
    assert body["reason"] == "Cooling off."
    assert set(body) >= {"closed_at", "reason", "reopens_at"}


def test_moderator_may_still_comment_on_a_closed_post(client):
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(closed_at=timezone.now())
    client.force_login(UserFactory(is_staff=True))

    response = client.post(reverse("comments:create", kwargs={"slug": post.slug}), {"body": "Moderator note"})

    assert response.status_code == HTTPStatus.FOUND
    assert Comment.objects.filter(body="Moderator note").exists()


def test_newest_first_puts_the_latest_thread_on_top(client):
    post = PostFactory()
    old = CommentFactory(post=post, body="old thread")
    CommentFactory(post=post, parent=old, body="reply to old")
    CommentFactory(post=post, body="new thread")

    response = client.get(post.get_absolute_url() + "?sort=newest")

    html = response.text
    assert html.index("new thread") < html.index("old thread") < html.index("reply to old")


def test_most_liked_puts_the_most_liked_thread_on_top(client):
    post = PostFactory()
    CommentFactory(post=post, body="quiet thread")
    popular = CommentFactory(post=post, body="popular thread")
    Comment.objects.filter(pk=popular.pk).update(like_count=5)

    response = client.get(post.get_absolute_url() + "?sort=liked")

    assert response.text.index("popular thread") < response.text.index("quiet thread")


def test_unknown_sort_falls_back_to_oldest_first(client):
    comment = CommentFactory()

    response = client.get(comment.post.get_absolute_url() + "?sort=drop-table")

    assert response.status_code == HTTPStatus.OK


def test_threads_are_paginated_by_top_level_comment_with_whole_subtrees(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    post = PostFactory()
    tops = [CommentFactory(post=post, body=f"top {n}") for n in range(3)]
    CommentFactory(post=post, parent=tops[0], body="reply on page one")

    first = client.get(post.get_absolute_url())
    second = client.get(post.get_absolute_url() + "?page=2")

    assert "reply on page one" in first.text
    assert "top 2" not in first.text
    assert "top 2" in second.text
    assert "top 0" not in second.text


@pytest.mark.parametrize(
    ("asked", "shown"), [("9", "top 2"), ("zero", "top 0"), ("-1", "top 2"), ("99999999999999999999", "top 2")]
)
def test_a_page_past_the_end_or_not_a_number_shows_the_nearest_page(client, settings, asked, shown):
    settings.COMMENTS_PER_PAGE = 2
    post = PostFactory()
    for n in range(3):
        CommentFactory(post=post, body=f"top {n}")

    response = client.get(post.get_absolute_url(), {"page": asked})

    assert response.status_code == HTTPStatus.OK
    assert shown in response.text


def test_the_second_page_of_most_liked_holds_the_least_liked(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    post = PostFactory()
    tops = [CommentFactory(post=post, body=f"top {n}") for n in range(3)]
    for likes, top in zip([5, 0, 9], tops, strict=True):
        Comment.objects.filter(pk=top.pk).update(like_count=likes)

    second = client.get(post.get_absolute_url(), {"sort": "liked", "page": 2})

    assert "top 1" in second.text
    assert "top 0" not in second.text
    assert "top 2" not in second.text


def test_permalink_of_a_reply_opens_the_page_of_its_thread(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    post = PostFactory()
    tops = [CommentFactory(post=post) for _ in range(3)]
    reply = CommentFactory(post=post, parent=tops[2])

    response = client.get(reverse("comments:permalink", kwargs={"pk": reply.pk}))

    assert response.url == f"{post.get_absolute_url()}?page=2#comment-{reply.pk}"


def test_permalink_to_a_draft_post_comment_is_not_found(client):
    comment = CommentFactory()
    Post.objects.filter(pk=comment.post_id).update(status=Post.Status.DRAFT)

    response = client.get(reverse("comments:permalink", kwargs={"pk": comment.pk}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_comments_feed_lists_the_latest_comments(client):
    comment = CommentFactory(body="Feed me")

    response = client.get(reverse("comments:feed", kwargs={"slug": comment.post.slug}))

    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Feed me" in response.text


@pytest.mark.parametrize("size", [2, 20])
def test_comments_feed_query_count_does_not_grow(client, django_assert_max_num_queries, size):
    post = PostFactory()
    CommentFactory.create_batch(size, post=post)

    with django_assert_max_num_queries(3):
        client.get(reverse("comments:feed", kwargs={"slug": post.slug}))


@pytest.mark.parametrize("size", [10, 1000])
def test_thread_page_query_count_does_not_grow_signed_out(client, django_assert_max_num_queries, size):
    post = PostFactory()
    parents = [None]
    for n in range(size):
        parents.append(CommentFactory(post=post, parent=parents[n // 3 if n % 3 else 0]))

    with django_assert_max_num_queries(4):  # post, its categories and tags, count of top-level comments, the page
        response = client.get(post.get_absolute_url())

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("size", [10, 1000])
def test_thread_page_query_count_does_not_grow_signed_in(client, django_assert_max_num_queries, size):
    post = PostFactory()
    parents = [None]
    for n in range(size):
        parents.append(CommentFactory(post=post, parent=parents[n // 3 if n % 3 else 0]))
    client.force_login(UserFactory())

    with django_assert_max_num_queries(9):  # session, member, post, links, follow, count, rows, likes, post like
        response = client.get(post.get_absolute_url())

    assert response.status_code == HTTPStatus.OK


def test_post_page_loads_the_discussion_styles_and_script(client):
    comment = CommentFactory()

    response = client.get(comment.post.get_absolute_url())

    assert "css/comments.css" in response.text
    assert "js/comments.js" in response.text


def test_signed_in_author_of_many_comments_costs_no_extra_queries(client, django_assert_max_num_queries):
    post = PostFactory()
    member = UserFactory()
    CommentFactory.create_batch(30, post=post, author=member)
    client.force_login(member)

    with django_assert_max_num_queries(9):  # session, member, post, links, follow, count, rows, likes, post like
        response = client.get(post.get_absolute_url())

    assert response.text.count(">Edit<") == 30
