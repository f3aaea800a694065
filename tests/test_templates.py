"""The two template languages: Django's pages in the Jinja2 layout, and what Jinja2 templates call."""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import TemplateSyntaxError, engines
from django.templatetags.static import static as django_static
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.views.defaults import server_error

from forum.jinja import static, url
from tests.factories import UserFactory

PAGE = """{% extends "base.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block meta %}<meta name="from-page">{% endblock %}
{% block extra_head %}<link rel="stylesheet" href="/page.css">{% endblock %}
{% block content %}<p id="page-text">{{ text }}</p>{% endblock %}
{% block extra_body %}<script src="/page.js"></script>{% endblock %}
"""


def render_django(source: str, context: dict, *, user=None) -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = user or AnonymousUser()
    return engines["django"].from_string(source).render(context, request)


def test_a_django_page_fills_the_layouts_blocks_in_their_places():
    html = render_django(PAGE, {"heading": "Rock & roll", "text": "<b>said</b>"})

    head, body = html.split("</head>")
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Rock &amp; roll · " in head  # each part escaped once, by Django
    assert '<meta name="from-page">' in head
    assert head.index("forum.css") < head.index("/page.css")  # the page's styles after the site's
    main = body.split('<main id="main"')[1].split("</main>")[0]
    assert '<p id="page-text">&lt;b&gt;said&lt;/b&gt;</p>' in main
    assert body.index("</footer>") < body.index('<script src="/page.js">') < body.index("</body>")
    assert "Sign in" in body  # the layout's own parts, for a signed-out reader


def test_allauths_head_title_and_block_super_still_reach_the_layout():
    parent = engines["django"].from_string('{% extends "base.html" %}{% block content %}<p>first</p>{% endblock %}')
    page = engines["django"].from_string(
        "{% extends parent %}{% block head_title %}Sign in{% endblock %}"
        "{% block content %}{{ block.super }}<p>second</p>{% endblock %}"
    )
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = page.render({"parent": parent.template}, request)

    assert "<title>Sign in · " in html
    assert "<p>first</p><p>second</p>" in html


@pytest.mark.django_db
def test_a_signed_in_members_layout_has_their_name_and_a_sign_out_form_with_its_token():
    member = UserFactory(display_name="Ada <Lovelace>")
    html = render_django(PAGE, {"text": ""}, user=member)

    assert "Ada &lt;Lovelace&gt;" in html
    sign_out = html.split(f'action="{reverse("account_logout")}"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in sign_out


def test_a_part_needs_one_quoted_name():
    for source in (
        "{% load layout %}{% layout %}{% part title %}{% endpart %}{% endlayout %}",
        "{% load layout %}{% layout %}{% part %}{% endpart %}{% endlayout %}",
    ):
        with pytest.raises(TemplateSyntaxError):
            engines["django"].from_string(source)


def test_the_error_page_draws_the_layout_without_a_request():
    # Django's handler for errors renders with no request and no context processors.
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<!DOCTYPE html>" in html
    assert "</footer>" in html
    assert 'href="/accounts/login/"' in html


@pytest.mark.parametrize(
    ("arguments", "keywords", "expected"),
    [
        (("home",), {}, reverse("home")),
        (("posts:detail",), {"slug": "a-post"}, reverse("posts:detail", kwargs={"slug": "a-post"})),
        (("accounts:profile",), {"username": "zoë"}, reverse("accounts:profile", kwargs={"username": "zoë"})),
        (("posts:detail", "a-post"), {}, reverse("posts:detail", args=["a-post"])),
    ],
)
def test_url_gives_what_reverse_gives(arguments, keywords, expected):
    assert url(*arguments, **keywords) == expected


def test_static_gives_what_the_static_tag_gives_and_follows_the_settings():
    assert static("css/forum.css") == django_static("css/forum.css")
    with override_settings(STATIC_URL="/assets/"):
        assert static("css/forum.css") == django_static("css/forum.css")
        assert static("css/forum.css").startswith("/assets/")
    assert static("css/forum.css") == django_static("css/forum.css")


def test_jinja2_pages_escape_what_they_print():
    template = engines["jinja2"].from_string("{{ text }}|{% trans name=text %}by {{ name }}{% endtrans %}")

    assert template.render({"text": "<i>x</i>"}) == "&lt;i&gt;x&lt;/i&gt;|by &lt;i&gt;x&lt;/i&gt;"


def test_a_missing_value_prints_nothing_in_jinja2_as_in_django():
    template = engines["jinja2"].from_string("[{{ request.resolver_match.url_name }}]")

    assert template.render({}) == "[]"


@pytest.mark.parametrize("fmt", ["c", "j F Y", "j F Y, H:i", "P e"])
def test_jinja2_dates_are_djangos_in_the_current_time_zone(fmt):
    moments = [datetime(2026, 3, 29, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 15, 7, 250, tzinfo=UTC)]
    django_page = engines["django"].from_string(f'{{{{ when|date:"{fmt}" }}}}')
    jinja_page = engines["jinja2"].from_string(f'{{{{ when|date("{fmt}") }}}}')
    # The same moments in one zone after another, twice: what one zone wrote is not shown in another.
    zones = ["UTC", "Europe/Berlin", "Europe/Paris", "Asia/Kathmandu", "America/St_Johns"] * 2
    for zone in zones:
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            for when in moments:
                assert jinja_page.render({"when": when}) == django_page.render({"when": when}), zone


def test_jinja2_dates_are_in_the_pages_language():
    page = engines["jinja2"].from_string('{{ when|date("j F Y") }}')
    when = datetime(2026, 3, 29, 12, tzinfo=UTC)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    for language, expected in (("en", "29 March 2026"), ("de", "29 März 2026"), ("en", "29 March 2026")):
        with translation.override(language):
            assert page.render({"when": when}, request) == expected


def test_jinja2_texts_are_in_the_active_language_with_or_without_a_request():
    template = engines["jinja2"].from_string(
        '<html lang="{{ LANGUAGE_CODE }}">{{ _("Yes") }}|{% trans %}No{% endtrans %}'
    )
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    for language, expected in (("de", "Ja|Nein"), ("fr", "Oui|Non"), ("en", "Yes|No")):
        with translation.override(language):
            assert template.render({}, request) == f'<html lang="{language}">{expected}'
            assert template.render({}).endswith(f">{expected}")


def test_pages_say_the_sites_language():
    html = render_django(PAGE, {"text": ""})

    assert html.startswith('<!DOCTYPE html>\n<html lang="en-us">')
