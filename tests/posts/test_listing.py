import html
import re
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


LISTED_TITLE = re.compile(r'<h2 class="h5 mb-1" id="post-\d+-title"><a href="[^"]*">([^<]*)</a></h2>')


def titles(response):
    """The titles a reader sees listed, in order."""
    return [html.unescape(title) for title in LISTED_TITLE.findall(response.text)]


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


def older_link(response) -> str:
    return re.search(r'href="(\?older=[\d.]+)" rel="next"', response.text).group(1)


def newer_link(response) -> str:
    return re.search(r'href="(\?newer=[\d.]+)" rel="prev"', response.text).group(1)


def test_home_shows_ten_posts_a_page_with_a_link_to_older_ones(client):
    posts = [PostFactory(title=f"Post {n}", published_at=days_ago(n)) for n in range(12)]

    first = client.get(reverse("home"))
    second = client.get(reverse("home") + older_link(first))

    assert titles(first) == [post.title for post in posts[:10]]
    assert titles(second) == ["Post 10", "Post 11"]
    assert 'rel="prev"' not in first.text
    assert 'rel="next"' not in second.text
    assert titles(client.get(reverse("home") + newer_link(second))) == titles(first)


def test_a_post_published_meanwhile_does_not_repeat_one_on_the_next_page(client):
    for n in range(15):
        PostFactory(title=f"Post {n}", published_at=days_ago(n + 1))
    first = client.get(reverse("home"))

    PostFactory(title="Just now", published_at=timezone.now())
    second = client.get(reverse("home") + older_link(first))

    assert titles(second) == [f"Post {n}" for n in range(10, 15)]
    # Going back shows what was there, and links on to the new post.
    back = client.get(reverse("home") + newer_link(second))
    assert titles(back) == [f"Post {n}" for n in range(10)]
    assert titles(client.get(reverse("home") + newer_link(back))) == ["Just now"]


def test_posts_published_at_the_same_moment_are_paged_by_id(client):
    moment = days_ago(1)
    posts = PostFactory.create_batch(23, published_at=moment)
    newest_first = [post.title for post in sorted(posts, key=lambda post: -post.pk)]

    pages, response = [], client.get(reverse("home"))
    while True:
        pages.append(titles(response))
        if 'rel="next"' not in response.text:
            break
        response = client.get(reverse("home") + older_link(response))

    assert pages == [newest_first[:10], newest_first[10:20], newest_first[20:]]


UNREADABLE = [
    "",
    "abc",
    "1.x",
    "9" * 30 + ".1",
    "1e5.2",
    "99999999999999999.1",
    "-99999999999999999.1",
    "--1.1",
]


@pytest.mark.parametrize("cursor", UNREADABLE)
def test_an_unreadable_place_shows_the_newest_posts(client, cursor):
    PostFactory(title="Newest")

    response = client.get(reverse("home"), {"older": cursor})

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == ["Newest"]


def test_a_place_is_written_and_read_back_for_any_date():
    from forum.posts.querysets import Cursor

    for moment in (days_ago(1), timezone.now().replace(year=1969), timezone.now().replace(year=9999)):
        cursor = Cursor(moment, 42)
        assert Cursor.parse(str(cursor)) == cursor


def test_a_place_with_nothing_beyond_it_leads_back_to_the_newest(client):
    oldest = PostFactory(published_at=days_ago(5))

    response = client.get(reverse("home"), {"older": f"0.{oldest.pk}"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("home")


def test_category_pages_keep_to_their_category(client):
    category = CategoryFactory()
    for n in range(12):
        PostFactory(title=f"In {n}", published_at=days_ago(2 * n)).categories.add(category)
        PostFactory(title=f"Out {n}", published_at=days_ago(2 * n + 1))

    first = client.get(category.get_absolute_url())
    second = client.get(category.get_absolute_url() + older_link(first))

    assert titles(second) == ["In 10", "In 11"]


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

    excerpt = response.text.split('<p class="mb-0">')[1].split("</p>")[0]
    assert html.unescape(excerpt) == 'Tom & "Jerry" <3'  # escaped once: unescaping once gives it back
    assert "&lt;3" in excerpt


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


def test_each_entry_lists_its_own_categories_by_name():
    harm, housing, advocacy = (CategoryFactory(name=name) for name in ("Harm <reduction>", "Housing", "Advocacy"))
    both = PostFactory(title="Both", published_at=days_ago(2))
    both.categories.add(housing, harm)
    PostFactory(title="None", published_at=days_ago(1))
    PostFactory(title="One", published_at=days_ago(3)).categories.add(advocacy)

    listed = {post.title: [c.name for c in post.listed_categories] for post in Post.objects.for_listing()}

    assert listed == {"Both": ["Harm <reduction>", "Housing"], "None": [], "One": ["Advocacy"]}
    # Read from the post's own relation when it comes from elsewhere.
    assert [c.name for c in Post.objects.get(pk=both.pk).listed_categories] == ["Harm <reduction>", "Housing"]


def test_entries_name_their_categories_escaped_and_linked(client):
    category = CategoryFactory(name="Harm <reduction>")
    PostFactory().categories.add(category)

    response = client.get(reverse("home"))

    assert f'<a href="{category.get_absolute_url()}">Harm &lt;reduction&gt;</a>' in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_listing_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    category = CategoryFactory()
    for post in PostFactory.create_batch(count):
        post.categories.add(category)

    with django_assert_max_num_queries(1):  # the page of posts with their authors and categories
        response = client.get(reverse("home"))
    with django_assert_max_num_queries(2):  # and whether there are newer posts
        older = client.get(reverse("home") + older_link(response)) if count > 10 else None

    assert response.status_code == HTTPStatus.OK
    assert older is None or older.status_code == HTTPStatus.OK


@pytest.mark.parametrize("count", [3, 30])
def test_category_listing_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    category = CategoryFactory()
    for post in PostFactory.create_batch(count):
        post.categories.add(category)

    with django_assert_max_num_queries(2):  # the category, the page of posts with authors and categories
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
