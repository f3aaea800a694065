from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from factory import Faker, LazyAttribute, Sequence, SubFactory, post_generation
from factory.django import DjangoModelFactory

from accounts.models import User
from accounts.roles import MODERATORS_GROUP
from forum.comments.models import Comment
from forum.comments.services import comment_create
from forum.posts.models import Post

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"member{n}")
    email = LazyAttribute(lambda user: f"{user.username}@example.com")
    display_name = Faker("name")

    @post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @post_generation
    def verified_email(self, create, extracted, **kwargs):
        # Signing in needs a verified address when verification is mandatory.
        if create and self.email and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ModeratorFactory(UserFactory):
    """A member of the Moderators group."""

    @post_generation
    def moderator(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=MODERATORS_GROUP))


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    title = Faker("sentence", nb_words=6)
    slug = Sequence(lambda n: f"post-{n}")
    body = Faker("paragraph", nb_sentences=5)
    author = SubFactory(UserFactory)
    status = Post.Status.PUBLISHED
    published_at = LazyAttribute(lambda post: timezone.now() - timezone.timedelta(days=1))


class CommentFactory(DjangoModelFactory):
    """Comments go through the service, so the tree path and counters are real."""

    class Meta:
        model = Comment

    post = SubFactory(PostFactory)
    author = SubFactory(UserFactory)
    body = Faker("sentence")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return comment_create(**kwargs)


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = "posts.Category"

    name = Sequence(lambda n: f"Category {n}")
    slug = Sequence(lambda n: f"category-{n}")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = "posts.Tag"

    name = Sequence(lambda n: f"tag{n}")
    slug = LazyAttribute(lambda tag: tag.name)
