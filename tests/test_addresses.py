import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix, set_urlconf

from forum.addresses import address, fixed, halves

ROUTES = [("posts:detail", "slug"), ("posts:category", "slug"), ("posts:tag", "slug"), ("accounts:profile", "username")]


@pytest.mark.parametrize(("name", "kwarg"), ROUTES)
@pytest.mark.parametrize("value", ["naloxone-saves-lives", "a", "2026", "under_score", "UPPER-case"])
def test_plain_values_get_the_address_reverse_gives(name, kwarg, value):
    assert address(name, kwarg, value) == reverse(name, kwargs={kwarg: value})


@pytest.mark.parametrize("value", ["zoë.ålund", "dot.ted", "a b", "100%", "plus+at@", "?x", "#top"])
def test_other_usernames_go_through_reverse_and_are_quoted(value):
    assert address("accounts:profile", "username", value) == reverse("accounts:profile", kwargs={"username": value})


@pytest.mark.parametrize("value", ["dot.ted", "naïve", "a/b", ""])
def test_a_slug_the_route_refuses_is_refused_as_reverse_refuses_it(value):
    with pytest.raises(NoReverseMatch):
        address("posts:detail", "slug", value)


def test_the_script_prefix_is_followed():
    first = address("posts:detail", "slug", "first")
    set_script_prefix("/community/")
    try:
        assert address("posts:detail", "slug", "first") == "/community" + first
    finally:
        clear_script_prefix()
    assert address("posts:detail", "slug", "first") == first


def test_a_requests_own_routes_are_followed():
    # As a middleware setting request.urlconf does: no setting changes, nothing is forgotten.
    site_address = address("posts:detail", "slug", "first")
    set_urlconf("tests.urls_elsewhere")
    try:
        assert address("posts:detail", "slug", "first") == "/elsewhere/first/"
    finally:
        set_urlconf(None)
    assert address("posts:detail", "slug", "first") == site_address == "/posts/first/"


@pytest.mark.parametrize(("name", "kwarg"), [*ROUTES, ("comments:edit", "pk"), ("moderation:comment", "pk")])
def test_the_halves_of_a_route_go_around_its_argument(name, kwarg):
    head, tail = halves(name, kwarg)

    assert f"{head}12345{tail}" == reverse(name, kwargs={kwarg: 12345 if kwarg == "pk" else "12345"})


@pytest.mark.parametrize("name", ["home", "posts:feed", "moderation:public-log", "account_login"])
def test_a_route_without_arguments_gets_the_address_reverse_gives(name):
    assert fixed(name) == reverse(name)


def test_a_route_without_arguments_follows_the_prefix_and_the_routes_in_force():
    set_script_prefix("/community/")
    try:
        assert fixed("home") == "/community/"
    finally:
        clear_script_prefix()
    set_urlconf("tests.urls_elsewhere")
    try:
        with pytest.raises(NoReverseMatch):
            fixed("home")  # not among these routes
    finally:
        set_urlconf(None)
    assert fixed("home") == "/"
