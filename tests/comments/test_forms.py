import sys
import unicodedata

import pytest
from django.contrib.auth.models import AnonymousUser
from django.forms.renderers import DjangoTemplates

from forum.comments.forms import REMOVED_CATEGORIES, CommentForm, clean_comment_text
from tests.factories import PostFactory, UserFactory


def test_every_character_the_cleaning_removes_is_unprintable():
    # The fast path returns printable text as it is: it must hold none of them.
    removed_yet_printable = [
        code
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in REMOVED_CATEGORIES and chr(code).isprintable()
    ]
    assert removed_yet_printable == []


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Plain words, a tab\tand a line\nbreak.", "Plain words, a tab\tand a line\nbreak."),
        ("Windows\r\nand old Mac\rbreaks", "Windows\nand old Mac\nbreaks"),
        ("NUL\x00, bell\x07 and escape\x1b", "NUL, bell and escape"),
        ("right-to-left\u202e override, zero\u200bwidth, BOM\ufeff", "right-to-left override, zerowidth, BOM"),
        ("private\ue000 use", "private use"),
        # Unprintable but kept: other spaces, line separators, unassigned characters.
        ("no-break\u00a0space, thin\u2009space, line\u2028sep", "no-break\u00a0space, thin\u2009space, line\u2028sep"),
        ("unassigned\U000e0fff kept", "unassigned\U000e0fff kept"),
        ("émigré, Ελληνικά, 日本語, 🙂", "émigré, Ελληνικά, 日本語, 🙂"),
    ],
)
def test_control_and_format_characters_are_removed_and_the_rest_kept(text, cleaned):
    assert clean_comment_text(text) == cleaned


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["member", "guest"])
@pytest.mark.parametrize("data", [None, {"body": "", "parent": "12", "guest_email": "not an address"}])
def test_the_comment_forms_fields_are_drawn_as_djangos_own_templates_draw_them(settings, reader, data):
    settings.COMMENTS_ALLOW_GUESTS = True
    user = UserFactory() if reader == "member" else AnonymousUser()
    post = PostFactory()
    token = {"token": "0b7c1a52-8a8e-4a51-9f0c-3c2f5ad1e0b1"}

    def fields(renderer=None):
        form = CommentForm(data, post=post, user=user, initial=token, renderer=renderer)
        form.is_valid()
        return [str(field) for field in form]

    assert fields() == fields(DjangoTemplates())
    assert len(fields()) == (3 if reader == "member" else 5)
