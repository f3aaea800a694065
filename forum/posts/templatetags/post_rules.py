from django import template

from forum.posts import rules

register = template.Library()


@register.filter
def can_start_discussion(user) -> bool:
    return rules.can_start_discussion(user)
