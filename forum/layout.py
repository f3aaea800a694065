"""`{% layout %}`: a page in Django's template language, drawn in the site's layout.

The layout is one Jinja2 template (templates/jinja2/layout.html), which the post page
extends directly (see forum/jinja.py). templates/base.html gives it the blocks of every
other page: each block sits in a `{% part %}`, which `{% layout %}` renders, in order,
before it draws the layout around them with the page's context. The blocks stay
Django's, so pages (and allauth's) extend and override base.html as before.
"""

from django import template
from django.template import engines
from django.template.backends.utils import csrf_input_lazy
from django.utils.safestring import mark_safe

register = template.Library()

# The Jinja2 template that puts the parts into the layout's blocks.
PAGE = "django_page.html"


class PartNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> str:
        return self.nodelist.render(context)


class LayoutNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context) -> str:
        parts = {
            node.name: mark_safe(node.render_annotated(context)) for node in self.nodelist if isinstance(node, PartNode)
        }
        values = context.flatten()
        if (request := values.get("request")) is not None:
            # What the Jinja2 backend adds to a page it renders itself; the context
            # processors have already run for this one.
            values["csrf_input"] = csrf_input_lazy(request)
        values["parts"] = parts
        return engines["jinja2"].get_template(PAGE).template.render(values)


@register.tag
def layout(parser, token):
    """{% layout %}{% part "name" %}…{% endpart %}…{% endlayout %}; text between parts is dropped."""
    nodelist = parser.parse(("endlayout",))
    parser.delete_first_token()
    return LayoutNode(nodelist)


@register.tag
def part(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% part %} takes one quoted name")
    nodelist = parser.parse(("endpart",))
    parser.delete_first_token()
    return PartNode(bits[1][1:-1], nodelist)
