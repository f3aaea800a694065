"""Who may do what: every role against every action, as crafted requests straight to the URLs.

A refused request must answer with the expected status and leave the database exactly as
it was; an allowed write must succeed and change something.
"""

from dataclasses import dataclass, field
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from forum.comments.models import Comment, CommentLike, CommentRevision, PostLike
from forum.moderation import services
from forum.moderation.models import ModerationAction, Report, Suspension, WatchPhrase
from forum.posts.models import Post
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "author", "suspended", "moderator", "staff")
OK = "ok"
NO = HTTPStatus.FORBIDDEN
LOGIN = "sign in"  # a redirect to the sign-in page, before anything else is looked at
TABLES = (Post, Comment, CommentRevision, CommentLike, PostLike, Report, Suspension, ModerationAction, WatchPhrase)


@dataclass(frozen=True)
class Action:
    """One request: the URL name, its arguments and POST data, built from the world and the role."""

    url: str
    args: object = None  # world, role -> URL kwargs
    data: object = None  # world, role -> POST data; None for a GET
    settings: dict = field(default_factory=dict)
    prepare: object = None  # world -> None, before the request

    @property
    def is_read(self) -> bool:
        return self.data is None


def slug(world, role):
    return {"slug": world.post.slug}


def target(world, role):
    return {"pk": world.target.pk}


def own(world, role):
    return {"pk": world.own[role].pk}


def close_post(world):
    services.discussion_close(post=world.post, actor=world.users["moderator"], reason="Prepared")


CLOSE_DATA = {
    "close-when": "now",
    "close-reason": "Matrix",
    "close-links-TOTAL_FORMS": "0",
    "close-links-INITIAL_FORMS": "0",
}
REOPEN_DATA = {"reopen-when": "now", "reopen-reason": "Matrix"}
AUTHOR_CLOSES = {"MODERATION_AUTHOR_CAN_CLOSE": True}

ACTIONS = {
    "comment": Action("comments:create", slug, lambda w, r: {"body": "A new comment"}),
    "reply": Action("comments:create", slug, lambda w, r: {"body": "A reply", "parent": w.target.pk}),
    "edit own comment": Action("comments:edit", own, lambda w, r: {"body": "Edited"}),
    "delete own comment": Action("comments:delete", own, lambda w, r: {}),
    "like comment": Action("comments:like", None, lambda w, r: {"comment": w.target.pk}),
    "like post": Action("comments:post-like", slug, lambda w, r: {}),
    "report comment": Action("moderation:report-comment", target, lambda w, r: {"reason": "spam"}),
    "report post": Action("moderation:report-post", slug, lambda w, r: {"reason": "spam"}),
    "close": Action("moderation:post-close", slug, lambda w, r: CLOSE_DATA),
    "reopen": Action("moderation:post-reopen", slug, lambda w, r: REOPEN_DATA, prepare=close_post),
    "close, authors may": Action("moderation:post-close", slug, lambda w, r: CLOSE_DATA, AUTHOR_CLOSES),
    "reopen, authors may": Action(
        "moderation:post-reopen", slug, lambda w, r: REOPEN_DATA, AUTHOR_CLOSES, prepare=close_post
    ),
    "slow mode": Action("moderation:post-slow-mode", slug, lambda w, r: {"slow-interval": "300"}),
    "slow mode, authors may close": Action(
        "moderation:post-slow-mode", slug, lambda w, r: {"slow-interval": "300"}, AUTHOR_CLOSES
    ),
    "hold all": Action("moderation:post-hold", slug, lambda w, r: {"on": "True"}),
    "lock sub-thread": Action("moderation:comment-lock", target, lambda w, r: {"reason": "Matrix"}),
    "approve": Action("moderation:comment-approve", lambda w, r: {"pk": w.held.pk}, lambda w, r: {}),
    "remove": Action("moderation:comment-remove", target, lambda w, r: {"reason": "Matrix"}),
    "restore": Action("moderation:comment-restore", lambda w, r: {"pk": w.removed.pk}, lambda w, r: {}),
    "mark spam": Action("moderation:comment-spam", target, lambda w, r: {}),
    "moderator edit": Action("moderation:comment-edit", target, lambda w, r: {"body": "Moderated text"}),
    "suspend": Action(
        "moderation:member-suspend",
        lambda w, r: {"username": w.victim.username},
        lambda w, r: {"duration": "3d", "reason": "Matrix"},
    ),
    "lift": Action("moderation:suspension-lift", lambda w, r: {"pk": w.victim_suspension.pk}, lambda w, r: {}),
    "view queue": Action("moderation:queue"),
    "view moderation log": Action("moderation:log"),
    "view public log": Action("moderation:public-log"),
}

# fmt: off
MATRIX = {
    #                                  anonymous member author suspended moderator staff
    "comment":                        (NO,       OK,    OK,    NO,       OK,       OK),
    "reply":                          (NO,       OK,    OK,    NO,       OK,       OK),
    "edit own comment":               (LOGIN,    OK,    OK,    NO,       OK,       OK),
    # Taking one's own words down stays possible while suspended.
    "delete own comment":             (LOGIN,    OK,    OK,    OK,       OK,       OK),
    "like comment":                   (LOGIN,    OK,    OK,    NO,       OK,       OK),
    "like post":                      (LOGIN,    OK,    OK,    NO,       OK,       OK),
    "report comment":                 (LOGIN,    OK,    OK,    NO,       OK,       OK),
    # Nobody reports their own post.
    "report post":                    (LOGIN,    OK,    NO,    NO,       OK,       OK),
    "close":                          (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "reopen":                         (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "close, authors may":             (LOGIN,    NO,    OK,    NO,       OK,       OK),
    "reopen, authors may":            (LOGIN,    NO,    OK,    NO,       OK,       OK),
    "slow mode":                      (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "slow mode, authors may close":   (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "hold all":                       (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "lock sub-thread":                (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "approve":                        (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "remove":                         (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "restore":                        (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "mark spam":                      (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "moderator edit":                 (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "suspend":                        (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "lift":                           (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "view queue":                     (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "view moderation log":            (LOGIN,    NO,    NO,    NO,       OK,       OK),
    "view public log":                (OK,       OK,    OK,    OK,       OK,       OK),
}
# fmt: on

CASES = [
    pytest.param(action, role, expected, id=f"{action} | {role}")
    for action, outcomes in MATRIX.items()
    for role, expected in zip(ROLES, outcomes, strict=True)
]


@pytest.fixture
def world():
    moderator = ModeratorFactory()
    users = {
        "anonymous": AnonymousUser(),
        "member": UserFactory(),
        "author": UserFactory(),
        "suspended": UserFactory(),
        "moderator": moderator,
        "staff": UserFactory(is_staff=True),
    }
    post = PostFactory(author=users["author"])
    # Each role's own comment; the suspended member wrote theirs before the suspension.
    own = {role: CommentFactory(post=post, author=user) for role, user in users.items() if user.is_authenticated}
    own["anonymous"] = CommentFactory(post=post)
    services.member_suspend(member=users["suspended"], actor=moderator, reason="Matrix")
    held = CommentFactory(post=post)
    Comment.objects.filter(pk=held.pk).update(held_at=held.created_at, hold_reason="Matrix")
    lifted = UserFactory()
    return SimpleNamespace(
        users=users,
        post=post,
        target=CommentFactory(post=post),
        own=own,
        held=held,
        removed=services.comment_remove(comment=CommentFactory(post=post), actor=moderator, reason="Matrix"),
        victim=UserFactory(),
        victim_suspension=services.member_suspend(member=lifted, actor=moderator, reason="Matrix"),
    )


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TABLES}


@pytest.mark.parametrize(("action_name", "role", "expected"), CASES)
def test_matrix(client, settings, world, action_name, role, expected):
    action = ACTIONS[action_name]
    for name, value in action.settings.items():
        setattr(settings, name, value)
    if action.prepare:
        action.prepare(world)
    user = world.users[role]
    if user.is_authenticated:
        client.force_login(user)
    url = reverse(action.url, kwargs=action.args(world, role) if action.args else None)
    before = snapshot()

    response = client.get(url) if action.is_read else client.post(url, action.data(world, role))

    after = snapshot()
    if expected == OK:
        assert response.status_code == (HTTPStatus.OK if action.is_read else HTTPStatus.FOUND)
        assert action.is_read or after != before, "an allowed write changed nothing"
    elif expected == LOGIN:
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_login"))
        assert after == before
    else:
        assert response.status_code == expected
        assert after == before
