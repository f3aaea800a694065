"""Deterministic discussion data: comment text and the shape of threads.

Nothing here touches the database; `bench.seed` turns these rows into tables.
Everything is drawn from one `random.Random`, so a seed gives the same site.
"""

import random
from dataclasses import dataclass

MAX_DEPTH = 12
TOP_LEVEL_SHARE = 1 / 3
BODY_LENGTH = (200, 800)
# How many likes a comment gets, and how often: most get a few, some none, a few many.
LIKE_COUNTS = (0, 1, 2, 3, 4, 5, 8, 13)
LIKE_WEIGHTS = (18, 22, 20, 15, 10, 7, 5, 3)

VOCABULARY = """
allotment bicycle bridge budget bus canal council corner crossing cycle lane depot
ferry garden harbour hedge junction kerb library market meadow orchard parish path
pavement platform reservoir river road route school shelter signal square station
street timetable tram tunnel valley village ward water weekend winter summer spring
autumn morning evening neighbour volunteer driver planner gardener teacher nurse
baker tenant landlord commuter visitor resident walker rider shopkeeper
fix build plant repair measure count share borrow carry lend wait cross paint
sweep mend open close argue agree notice suggest propose compare support doubt
slow quick narrow wide quiet busy cheap costly muddy dry early late local public
shared broken green grey new old steep flat safe risky clear vague
because although unless while whereas meanwhile instead otherwise therefore still
"""
WORDS = VOCABULARY.split()

OPENERS = [
    "I think",
    "Honestly,",
    "From what I have seen,",
    "My experience is different:",
    "To be fair,",
    "Good point, but",
    "Small correction:",
    "In our street",
    "Last winter",
    "As far as I know,",
]

LINK_TARGETS = [
    "https://example.org/timetables",
    "https://example.org/minutes/2026-03",
    "https://example.com/guide/repairs",
    "https://example.net/maps/cycle-routes",
    "https://example.org/library/opening-hours",
    "https://example.com/reports/traffic-counts",
]


def _sentence(rng: random.Random, *, may_link: bool) -> tuple[str, bool]:
    """A sentence, now and then with emphasis, code or (when `may_link`) a link; says if it linked."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    roll = rng.random()
    linked = False
    if roll < 0.25:
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*"
    elif roll < 0.4:
        i = rng.randrange(len(words) - 1)
        words[i : i + 2] = [f"**{words[i]} {words[i + 1]}**"]
    elif roll < 0.55 and may_link:
        i = rng.randrange(len(words) - 1)
        words[i : i + 2] = [f"[{words[i]} {words[i + 1]}]({rng.choice(LINK_TARGETS)})"]
        linked = True
    elif roll < 0.6:
        i = rng.randrange(len(words))
        words[i] = f"`{words[i]}`"
    text = " ".join(words)
    if rng.random() < 0.3:
        text = f"{rng.choice(OPENERS)} {text}"
    return text[0].upper() + text[1:] + rng.choice(".....?!"), linked


def comment_body(rng: random.Random) -> str:
    """200 to 800 characters of Markdown: paragraphs with emphasis and at most two links
    (more would hold a real comment for moderation), now and then a quote or a short list."""
    target = rng.randint(*BODY_LENGTH)
    links = 0
    blocks: list[str] = []
    length = 0
    while length < target:
        kind = rng.random()
        sentences = 1 if kind < 0.14 and blocks else rng.randint(1, 4)
        parts = []
        for _ in range(sentences):
            text, linked = _sentence(rng, may_link=links < 2)
            links += linked
            parts.append(text)
        if kind < 0.08 and blocks:
            block = "> " + parts[0]
        elif kind < 0.14 and blocks:
            block = "\n".join(f"- {_sentence(rng, may_link=False)[0]}" for _ in range(rng.randint(2, 3)))
        else:
            block = " ".join(parts)
        if length + len(block) + 2 > BODY_LENGTH[1]:
            if length >= BODY_LENGTH[0]:
                break
            block = _trim(block, BODY_LENGTH[1] - length - 2)
        blocks.append(block)
        length += len(block) + 2
    return "\n\n".join(blocks)


def _trim(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters at a space, leaving no link, emphasis or code open."""
    cut = text.rfind(" ", 0, limit)
    head = text[:cut]
    while cut > 0 and (head.count("[") != head.count(")") or head.count("*") % 2 or head.count("`") % 2):
        cut = text.rfind(" ", 0, cut)
        head = text[:cut]
    return head.rstrip(" ,;") + "."


def post_body(rng: random.Random) -> str:
    paragraphs = [comment_body(rng) for _ in range(rng.randint(3, 5))]
    heading = rng.choice(WORDS).title()
    return "\n\n".join([paragraphs[0], f"## {heading}", *paragraphs[1:]])


def post_title(rng: random.Random, number: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6)))
    return f"{words[0].upper()}{words[1:]} ({number})"


@dataclass(frozen=True)
class Node:
    """One comment of a generated thread: its place in creation order, parent and depth."""

    index: int
    parent: int | None
    depth: int


def thread_shape(rng: random.Random, count: int) -> list[Node]:
    """`count` comments in creation order: about a third top-level, the rest replies.

    Depth never exceeds MAX_DEPTH: a reply to a comment at that depth goes to an ancestor.
    """
    nodes: list[Node] = []
    for index in range(count):
        if not nodes or rng.random() < TOP_LEVEL_SHARE:
            nodes.append(Node(index, None, 0))
            continue
        # Mostly an answer to one of the latest comments, which is how conversations deepen.
        parent = rng.choice(nodes[-5:] if rng.random() < 0.8 else nodes)
        while parent.depth >= MAX_DEPTH:
            parent = nodes[parent.parent]
        nodes.append(Node(index, parent.index, parent.depth + 1))
    return nodes


def like_count(rng: random.Random) -> int:
    return rng.choices(LIKE_COUNTS, LIKE_WEIGHTS)[0]
