"""Load a small, original demo site. Running it again adds nothing."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.roles import MODERATORS_GROUP
from forum.comments.services import comment_create
from forum.moderation.models import WatchPhrase
from forum.moderation.services import comment_approve, discussion_close
from forum.posts.models import Category, Post, Tag

# For local use only; the README states them.
MEMBERS = [
    {"username": "maya", "password": "demo-moderator-pass", "display_name": "Maya (moderator)", "moderator": True,
     "bio": "Volunteer moderator. Former outreach nurse."},
    {"username": "sam", "password": "demo-commenter-pass", "display_name": "Sam", "moderator": False,
     "bio": "Parent, reader, occasional commenter."},
    {"username": "jordan", "password": "demo-member-pass", "display_name": "Jordan", "moderator": False,
     "bio": "Peer support worker."},
    {"username": "ines", "password": "demo-member-pass", "display_name": "Inès", "moderator": False,
     "bio": "Public-health researcher."},
]  # fmt: skip

# (author, depth, body): each comment replies to the latest one at depth - 1.
THREAD_NALOXONE = [
    ("sam", 0, "I carry naloxone now, after my son's friend overdosed at a party. Nobody there knew what to do. "
               "Has anyone here actually had to use it?"),
    ("jordan", 1, "Twice, both times at work. The nasal spray is simpler than people fear: call for help, "
                  "give one dose, put the person on their side, and stay with them."),
    ("sam", 2, "Thank you. *Stay with them* is the part I would not have known. Why does that matter so much?"),
    ("ines", 3, "Because naloxone can wear off before the opioid does, so breathing can slow down again. "
                "That is why calling emergency services still matters even when the person wakes up."),
    ("jordan", 4, "And people often wake up confused or in withdrawal. A calm voice helps more than a lecture."),
    ("maya", 0, "A reminder from the moderators: please keep stories about other people anonymous. "
                "Share what happened, not who it happened to."),
    ("ines", 0, "For anyone reading along: many pharmacies supply naloxone without a prescription. "
                "Ask the pharmacist; they are usually glad you did."),
    ("sam", 1, "I had no idea. I will ask at mine this week."),
]  # fmt: skip

THREAD_LANGUAGE = [
    ("ines", 0, "Words like *addict* and *clean* make some people less likely to ask for help. "
                "Is changing vocabulary worth the friction it causes?"),
    ("sam", 1, "Honestly it felt like policing at first. Then my son told me *clean* made him feel dirty on bad days."),
    ("jordan", 2, "That is the whole argument in one sentence. Person-first language is not about politeness; "
                  "it is about who keeps coming back."),
    ("ines", 3, "Agreed, though I do not want anyone corrected mid-story. Meaning first, vocabulary later."),
    ("sam", 4, "That seems fair. Nobody should have to pass a vocabulary test to be heard."),
    ("jordan", 0, "Some of the people I work with call themselves addicts and mean it as strength. Both can be true."),
]  # fmt: skip

THREAD_CHECKING = [
    ("jordan", 0, "Drug checking services test a sample and tell people what is actually in it. "
                  "Do they encourage use, or do they save lives?"),
    ("ines", 1, "The evaluations I have read found people often discard a sample after an unexpected result. "
                "That is information changing behaviour."),
    ("sam", 2, "As a parent I find this hard. It feels like approving something I am scared of."),
    ("jordan", 3, "That fear is reasonable. The service does not approve anything; "
                  "it tells the truth about a substance that was going to be taken anyway."),
    ("ines", 4, "And it is often the first conversation with a health worker that someone has had in years."),
]  # fmt: skip

# A starting list for urgent triage; moderators maintain their own.
WATCH_PHRASES = [
    ("want to die", WatchPhrase.Action.URGENT, "possible crisis: self-harm"),
    ("end it all", WatchPhrase.Action.URGENT, "possible crisis: self-harm"),
    ("overdosing", WatchPhrase.Action.URGENT, "possible overdose in progress"),
    ("relapsed tonight", WatchPhrase.Action.URGENT, "relapse in crisis"),
    ("home address", WatchPhrase.Action.URGENT, "someone's personal details"),
    ("phone number is", WatchPhrase.Action.URGENT, "someone's personal details"),
]

POSTS = [
    {
        "slug": "carrying-naloxone",
        "title": "Carrying naloxone: what we wish we had known",
        "category": "Harm reduction",
        "tags": ["naloxone", "overdose"],
        "days_ago": 3,
        "thread": THREAD_NALOXONE,
        "body": (
            "Naloxone reverses an opioid overdose for long enough to get help. It is safe to give even if you are "
            "not sure what the person took, and it does nothing to someone who has not taken opioids.\n\n"
            "We asked readers what they wished they had known before they first carried it. Their answers are below; "
            "add yours.\n\n"
            "## The short version\n\n"
            "1. Call emergency services.\n"
            "2. Give naloxone.\n"
            "3. Put the person in the recovery position and **stay with them**.\n\n"
            "If you have a story, please keep the people in it anonymous."
        ),
    },
    {
        "slug": "words-we-use",
        "title": "The words we use about drug use",
        "category": "Recovery",
        "tags": ["language", "stigma"],
        "days_ago": 9,
        "thread": THREAD_LANGUAGE,
        "body": (
            "Person-first language asks us to say *a person who uses drugs* rather than *an addict*. "
            "Supporters say it reduces stigma; critics say it turns care into a vocabulary test.\n\n"
            "This post collects both views. Disagree as sharply as you like, but argue with the idea, "
            "not with the person."
        ),
    },
    {
        "slug": "drug-checking-services",
        "title": "Should cities fund drug checking services?",
        "category": "Policy",
        "tags": ["drug-checking", "policy"],
        "days_ago": 40,
        "thread": THREAD_CHECKING,
        "closed": "This discussion ran its course. Thank you all; a follow-up post is planned.",
        "body": (
            "Several cities now pay for services that test drugs and tell people what is in them. "
            "The debate splits along familiar lines, and the evidence is more interesting than either side admits.\n\n"
            "What would you want a city council to know before it votes?"
        ),
    },
    {
        "slug": "welcome",
        "title": "Welcome, and how this forum works",
        "category": "Announcements",
        "tags": ["meta"],
        "days_ago": 60,
        "thread": [],
        "body": (
            "This is a place for serious, sometimes difficult conversations about drug policy, harm reduction and "
            "recovery. People here include those who use drugs, people in recovery, families, and professionals.\n\n"
            "- Read before replying.\n- Share your own story, not other people's.\n"
            "- If someone seems in danger, tell the moderators and point them to local emergency services."
        ),
    },
]


class Command(BaseCommand):
    help = "Load demo members, posts and threaded discussions (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        members = {spec["username"]: self._member(spec) for spec in MEMBERS}
        for phrase, action, note in WATCH_PHRASES:
            WatchPhrase.objects.get_or_create(
                phrase=phrase,
                is_pattern=False,
                defaults={"action": action, "note": note, "created_by": members["maya"]},
            )
        created = 0
        for spec in POSTS:
            if Post.objects.filter(slug=spec["slug"]).exists():
                continue
            self._post(spec, members)
            created += 1
        self.stdout.write(f"Demo content: {created} post(s) added, {len(POSTS) - created} already present.")

    def _member(self, spec):
        User = get_user_model()
        user = User.objects.filter(username=spec["username"]).first()
        if user:
            return user
        user = User(
            username=spec["username"],
            email=f"{spec['username']}@example.com",
            display_name=spec["display_name"],
            bio=spec["bio"],
        )
        user.set_password(spec["password"])
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        if spec["moderator"]:
            user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
        return user

    def _post(self, spec, members):
        now = timezone.now()
        published_at = now - timedelta(days=spec["days_ago"])
        post = Post.objects.create(
            slug=spec["slug"],
            title=spec["title"],
            body=spec["body"],
            author=members["maya"],
            status=Post.Status.PUBLISHED,
            published_at=published_at,
        )
        post.categories.add(
            Category.objects.get_or_create(
                slug=spec["category"].lower().replace(" ", "-"), defaults={"name": spec["category"]}
            )[0]
        )
        for name in spec["tags"]:
            post.tags.add(Tag.objects.get_or_create(slug=name, defaults={"name": name})[0])
        latest_at_depth = {}
        for minutes, (username, depth, body) in enumerate(spec["thread"], start=1):
            comment = comment_create(
                post=post,
                author=members[username],
                body=body,
                parent=latest_at_depth.get(depth - 1),
                created_at=published_at + timedelta(hours=2, minutes=37 * minutes),
            )
            if comment.held_at:
                # Demo members are established: their first comments were approved long ago.
                comment_approve(comment=comment, actor=members["maya"])
            latest_at_depth[depth] = comment
        if spec.get("closed"):
            discussion_close(post=post, actor=members["maya"], reason=spec["closed"])
