from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.posts.models import Post
from tests.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def titles(response):
    return [post.title for post in response.context["page"].object_list]


def test_home_lists_newest_first(client):
    PostFactory(title="Older", published_at=days_ago(3))
    PostFactory(title="Newer", published_at=days_ago(1))

    response = client.get(reverse("home"))

    assert titles(response) == ["Newer", "Older"]


def test_home_leaves_out_future_scheduled_posts(client):
    PostFactory(title="Tomorrow", status=Post.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1))

    response = client.get(reverse("home"))

    assert "Tomorrow" not in response.text


def test_scheduled_post_is_listed_once_its_time_has_come(client):
    PostFactory(title="Due", status=Post.Status.SCHEDULED, published_at=timezone.now() - timedelta(minutes=1))

    response = client.get(reverse("home"))

    assert titles(response) == ["Due"]


def test_author_does_not_see_own_drafts_in_the_public_list(client):
    draft = PostFactory(title="My draft", status=Post.Status.DRAFT, published_at=None)
    client.force_login(draft.author)

    response = client.get(reverse("home"))

    assert "My draft" not in response.text


def test_home_shows_ten_posts_a_page(client):
    PostFactory.create_batch(12)

    first = client.get(reverse("home"))
    second = client.get(reverse("home"), {"page": 2})

    assert len(first.context["page"].object_list) == 10
    assert len(second.context["page"].object_list) == 2


def test_entry_shows_author_date_excerpt_and_comment_count(client):
    post = PostFactory(body="Carry naloxone. " * 60)
    CommentFactory.create_batch(2, post=post)

    response = client.get(reverse("home"))

    assert post.author.get_absolute_url() in response.text
    assert f'datetime="{post.published_at.isoformat()}"' in response.text
    assert "2 comments" in response.text
    assert "Carry naloxone. Carry naloxone." in response.text
    assert "Carry naloxone. " * 45 not in response.text


def test_excerpt_escapes_punctuation_once(client):
    PostFactory(body='Tom & "Jerry" <3')

    response = client.get(reverse("home"))

    assert "Tom &amp; &quot;Jerry&quot; &lt;3" in response.text


def test_category_page_lists_its_posts(client):
    category = CategoryFactory(name="Policy")
    PostFactory(title="In policy").categories.add(category)
    PostFactory(title="Elsewhere")

    response = client.get(category.get_absolute_url())

    assert titles(response) == ["In policy"]
    assert "<h1" in response.text
    assert "Policy" in response.text


def test_tag_page_lists_its_posts(client):
    tag = TagFactory(name="naloxone")
    PostFactory(title="Tagged").tags.add(tag)
    PostFactory(title="Untagged")

    response = client.get(tag.get_absolute_url())

    assert titles(response) == ["Tagged"]


def test_unknown_category_is_not_found(client):
    response = client.get(reverse("posts:category", kwargs={"slug": "nothing-here"}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_entries_link_their_categories(client):
    category = CategoryFactory(name="Recovery")
    PostFactory().categories.add(category)

    response = client.get(reverse("home"))

    assert category.get_absolute_url() in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_listing_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    category = CategoryFactory()
    for post in PostFactory.create_batch(count):
        post.categories.add(category)

    with django_assert_max_num_queries(3):  # count, page of posts with authors, their categories
        response = client.get(reverse("home"))

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("count", [3, 30])
def test_category_listing_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    category = CategoryFactory()
    for post in PostFactory.create_batch(count):
        post.categories.add(category)

    with django_assert_max_num_queries(4):  # category, count, page of posts with authors, their categories
        response = client.get(category.get_absolute_url())

    assert response.status_code == HTTPStatus.OK


def test_home_links_the_atom_feed_in_its_head(client):
    response = client.get(reverse("home"))

    head = response.text.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert reverse("posts:feed") in head


def test_my_posts_lists_drafts_and_scheduled_posts_with_badges(client, member):
    PostFactory(author=member, title="Half written", status=Post.Status.DRAFT, published_at=None)
    PostFactory(
        author=member,
        title="Coming soon",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    PostFactory(author=member, title="Out there")

    response = client.get(reverse("posts:mine"))

    assert set(titles(response)) == {"Half written", "Coming soon", "Out there"}
    assert ">Draft</span>" in response.text
    assert ">Scheduled</span>" in response.text
    assert ">Published</span>" in response.text


def test_my_posts_leaves_out_other_members_posts(client, member):
    PostFactory(title="Someone else's", status=Post.Status.DRAFT, published_at=None)

    response = client.get(reverse("posts:mine"))

    assert titles(response) == []


def test_my_posts_needs_signing_in(client):
    response = client.get(reverse("posts:mine"))

    assert response.status_code == HTTPStatus.FOUND
