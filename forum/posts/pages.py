"""Sections that higher apps add to the post page, without posts importing them.

An app registers a section with the template that renders it and a function that
builds its context from the request and the post; the post page renders every
registered section below the article, lowest `order` first, leaving out those whose
function returns None (nothing to show this reader).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.posts import fragments
from forum.posts.closing import refresh_discussion_state
from forum.posts.models import Post

type ContextBuilder = Callable[[HttpRequest, Post], dict | None]


@dataclass(frozen=True)
class PostSection:
    template: str
    build_context: ContextBuilder
    stylesheets: tuple[str, ...] = ()  # static paths the section needs in the page's head
    scripts: tuple[str, ...] = ()  # static paths of deferred scripts
    order: int = 100  # lower comes first below the article


_sections: list[PostSection] = []


def register_section(
    *,
    template: str,
    build_context: ContextBuilder,
    stylesheets: tuple[str, ...] = (),
    scripts: tuple[str, ...] = (),
    order: int = 100,
) -> None:
    if not any(section.template == template for section in _sections):
        _sections.append(PostSection(template, build_context, stylesheets, scripts, order))
        _sections.sort(key=lambda section: section.order)


def post_page_context(request: HttpRequest, post: Post, **extra) -> dict:
    """Everything the post page needs: the post, each section's context, then `extra`."""
    refresh_discussion_state(post)
    shown = []
    context = {
        "post": post,
        "post_sections": shown,
        "section_stylesheets": [path for section in _sections for path in section.stylesheets],
        "section_scripts": [path for section in _sections for path in section.scripts],
    }
    for section in _sections:
        section_context = section.build_context(request, post)
        if section_context is not None:
            shown.append(section.template)
            context.update(section_context)
    context.update(extra)
    return context


def render_post_page(request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    """The post page from `post_page_context`, with the fragments its sections set aside
    (see forum.posts.fragments) spliced in."""
    fragments.expect(request)
    response = render(request, "posts/post_detail.html", context, status=status, using="jinja2")
    return fragments.splice(request, response)
