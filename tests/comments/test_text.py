import sys
import unicodedata

import pytest

from forum.comments.forms import REMOVED_CATEGORIES, clean_comment_text


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
