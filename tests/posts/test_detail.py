import re
import uuid
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.posts.models import Post
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory
from tests.posts.images import image_upload

pytestmark = pytest.mark.django_db


def head(response) -> str:
    return response.text.split("</head>")[0]


def test_post_page_shows_title_author_date_and_body(client):
    post = PostFactory(title="Drug checking", body="It **works**.")

    response = client.get(post.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert "Drug checking</h1>" in response.text
    assert f'href="{post.author.get_absolute_url()}"' in response.text
    assert f'<time datetime="{post.published_at.isoformat()}">' in response.text
    assert "It <strong>works</strong>." in response.text


def test_post_page_links_categories_then_tags_each_by_name(client):
    post = PostFactory()
    policy, health = CategoryFactory(name="Policy"), CategoryFactory(name="Health")
    naloxone, checking = TagFactory(name="naloxone"), TagFactory(name="drug-checking")
    post.categories.add(policy, health)
    post.tags.add(naloxone, checking)
    CategoryFactory(name="Unrelated")
    TagFactory(name="elsewhere")

    response = client.get(post.get_absolute_url())

    filed = response.text.split('aria-label="Filed under"')[1].split("</ul>")[0]
    links = [
        (health.get_absolute_url(), "Health"),
        (policy.get_absolute_url(), "Policy"),
        (checking.get_absolute_url(), "#drug-checking"),
        (naloxone.get_absolute_url(), "#naloxone"),
    ]
    assert filed.count("<li") == 4
    positions = [filed.index(f'<a href="{url}">{name}</a>') for url, name in links]
    assert positions == sorted(positions)
    assert "Unrelated" not in filed
    assert "elsewhere" not in filed


def test_post_page_without_categories_or_tags_has_no_filed_under_list(client):
    response = client.get(PostFactory().get_absolute_url())

    assert "Filed under" not in response.text


def test_draft_is_not_found_by_other_members(client):
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)
    client.force_login(UserFactory())

    response = client.get(draft.get_absolute_url())

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_draft_is_not_found_by_visitors(client):
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_future_scheduled_post_is_not_found_by_visitors(client):
    post = PostFactory(status=Post.Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1))

    response = client.get(post.get_absolute_url())

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_author_opens_own_draft_with_a_notice(client):
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)
    client.force_login(draft.author)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert "This is a draft" in response.text
    assert '<meta name="robots" content="noindex">' in head(response)


def test_staff_open_any_draft(client, staff):
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == HTTPStatus.OK


def test_open_graph_tags_describe_the_post(client):
    post = PostFactory(title="Words we use", body="Person-first language matters.")

    response = client.get(post.get_absolute_url())

    assert '<meta property="og:title" content="Words we use">' in head(response)
    assert '<meta property="og:description" content="Person-first language matters.">' in head(response)
    assert f'<meta property="og:url" content="http://testserver{post.get_absolute_url()}">' in head(response)
    assert '<meta property="og:type" content="article">' in head(response)
    assert '<meta name="twitter:card" content="summary">' in head(response)
    assert "og:image" not in head(response)


def test_open_graph_image_when_the_post_has_one(client, member):
    client.post(
        reverse("posts:create"),
        {"title": "Pictured", "body": "Text.", "status": "published", "image": image_upload(), "image_alt": "Teal"},
    )
    post = Post.objects.get()

    response = client.get(post.get_absolute_url())

    assert f'<meta property="og:image" content="http://testserver{post.image.url}">' in head(response)
    assert '<meta name="twitter:card" content="summary_large_image">' in head(response)


def test_share_offers_a_permalink_and_a_copy_button_hidden_without_script(client):
    post = PostFactory()

    response = client.get(post.get_absolute_url())

    assert f'<a href="{post.get_absolute_url()}" rel="bookmark">' in response.text
    assert f'data-copy-link="http://testserver{post.get_absolute_url()}"' in response.text
    assert " hidden>Copy link</button>" in response.text
    assert "js/share.js" in response.text


def test_post_page_loads_nothing_from_other_sites(client):
    post = PostFactory()

    response = client.get(post.get_absolute_url())

    assert '<script src="http' not in response.text
    assert '<link rel="stylesheet" href="http' not in response.text


def test_post_page_links_older_and_newer_posts(client):
    now = timezone.now()
    older = PostFactory(title="Older", published_at=now - timedelta(days=3))
    post = PostFactory(title="Middle", published_at=now - timedelta(days=2))
    newer = PostFactory(title="Newer", published_at=now - timedelta(days=1))

    response = client.get(post.get_absolute_url())

    assert f'href="{older.get_absolute_url()}" rel="prev"' in response.text
    assert f'href="{newer.get_absolute_url()}" rel="next"' in response.text


def test_neighbours_skip_drafts_and_future_posts(client):
    now = timezone.now()
    PostFactory(status=Post.Status.DRAFT, published_at=now - timedelta(days=3))
    post = PostFactory(published_at=now - timedelta(days=2))
    PostFactory(status=Post.Status.SCHEDULED, published_at=now + timedelta(days=1))

    response = client.get(post.get_absolute_url())

    assert 'rel="prev"' not in response.text
    assert 'rel="next"' not in response.text


def test_neighbours_of_posts_published_at_the_same_moment(client):
    moment = timezone.now() - timedelta(days=1)
    first, second = PostFactory(published_at=moment), PostFactory(published_at=moment)

    response = client.get(first.get_absolute_url())

    assert f'href="{second.get_absolute_url()}" rel="next"' in response.text


def test_draft_shows_no_neighbours(client):
    PostFactory()
    draft = PostFactory(status=Post.Status.DRAFT, published_at=timezone.now() - timedelta(hours=1))
    client.force_login(draft.author)

    response = client.get(draft.get_absolute_url())

    assert 'rel="prev"' not in response.text


def test_post_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    PostFactory.create_batch(3)
    post = PostFactory()
    post.categories.add(*CategoryFactory.create_batch(2))
    post.tags.add(*TagFactory.create_batch(2))

    # The post with its author, neighbours and labels; the thread with its count.
    with django_assert_num_queries(2):
        response = client.get(post.get_absolute_url())

    assert response.status_code == HTTPStatus.OK


def test_the_compiled_lookup_finds_what_visible_to_finds_for_every_reader(staff, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    author = UserFactory()
    now = timezone.now()
    posts = [
        PostFactory(author=author),
        PostFactory(author=author, status=Post.Status.DRAFT, published_at=None),
        PostFactory(author=author, status=Post.Status.SCHEDULED, published_at=now + timedelta(hours=1)),
        PostFactory(author=author, status=Post.Status.SCHEDULED, published_at=now - timedelta(seconds=1)),
        PostFactory(status=Post.Status.DRAFT, published_at=None),
    ]

    for reader in (AnonymousUser(), UserFactory(), author, staff):
        expected = set(Post.objects.visible_to(reader).values_list("slug", flat=True))
        found = set()
        for post in posts:
            with django_assert_num_queries(1):
                match = Post.objects.visible_one(reader, post.slug)
                if match is not None:
                    assert match.author.username == post.author.username  # came with the post
                    found.add(match.slug)
        assert found == expected & {post.slug for post in posts}
    assert Post.objects.visible_one(author, "no-such-post") is None


def test_the_lookup_for_a_write_leaves_the_body_behind(member):
    post = PostFactory(body="Long *text*")

    found = Post.objects.visible_one(member, post.slug, without_body=True)

    assert found.get_deferred_fields() == {"body", "body_html"}
    assert (found.pk, found.status, found.comment_count) == (post.pk, post.status, 0)
    assert found.published_at == post.published_at


def test_the_page_lookup_brings_the_links_links_of_reads():
    now = timezone.now()
    moment = now - timedelta(days=2)
    author = UserFactory()
    older = PostFactory(title='Older "quoted" \\ back', published_at=now - timedelta(days=3))
    first = PostFactory(title="Twin one", published_at=moment, author=author)
    second = PostFactory(title="Twin two", published_at=moment)
    PostFactory(status=Post.Status.DRAFT, published_at=now - timedelta(days=1))
    PostFactory(status=Post.Status.SCHEDULED, published_at=now + timedelta(days=1))
    newest = PostFactory(title="Newest ☕ post", published_at=now - timedelta(hours=1))
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None, author=author)
    first.categories.add(CategoryFactory(name="Zeta"), CategoryFactory(name='Alpha "A" <b>'))
    first.tags.add(TagFactory(name="naloxone"), TagFactory(name="drug-checking"))

    for post in (older, first, second, newest, draft):
        found = Post.objects.visible_one(author, post.slug, with_links=True)
        expected = Post.objects.links_of(post)
        assert found.links.previous == expected.previous
        assert found.links.next == expected.next
        assert [(type(label), label.slug, label.name) for label in found.links.filed_under] == [
            (type(label), label.slug, label.name) for label in expected.filed_under
        ]
    links = Post.objects.visible_one(author, first.slug, with_links=True).links
    assert (links.previous.title, links.next.title) == ('Older "quoted" \\ back', "Twin two")
    assert [label.name for label in links.filed_under] == ['Alpha "A" <b>', "Zeta", "drug-checking", "naloxone"]


def test_the_excerpt_follows_the_body_it_was_worked_out_from():
    first = PostFactory(body="Naloxone reverses an opioid overdose.")
    same_words = PostFactory(body="Naloxone reverses an opioid overdose.")
    assert first.excerpt == same_words.excerpt == "Naloxone reverses an opioid overdose."

    first.body = "Fentanyl test strips *work*."
    first.save()

    assert Post.objects.get(pk=first.pk).excerpt == "Fentanyl test strips work."
    assert Post.objects.get(pk=same_words.pk).excerpt == "Naloxone reverses an opioid overdose."


CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_members_post_page_masks_its_csrf_token_once_for_every_form_and_the_site_takes_it():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    post = PostFactory()

    page = client.get(post.get_absolute_url())
    tokens = CSRF_VALUE.findall(page.text)
    # The comment form, the post's like, following and signing out.
    assert len(tokens) == 4
    assert len(set(tokens)) == 1
    assert CSRF_VALUE.findall(client.get(post.get_absolute_url()).text)[0] != tokens[0]  # masked anew per page

    answer = client.post(
        reverse("comments:create", kwargs={"slug": post.slug}),
        {"csrfmiddlewaretoken": tokens[0], "body": "Taken.", "token": str(uuid.uuid4())},
    )
    assert answer.status_code == HTTPStatus.FOUND
    assert post.comments.get().body == "Taken."


def test_a_page_that_shows_no_form_sets_no_csrf_cookie(client):
    # Signed-out readers' pages stay shareable by the page cache: nothing asks for a token.
    response = client.get(PostFactory().get_absolute_url())

    assert 'name="csrfmiddlewaretoken"' not in response.text
    assert settings.CSRF_COOKIE_NAME not in response.cookies
