"""Large fragments of a page, kept out of the template's string joins.

Django builds a page by joining the output of every block and include, and each
level copies what it joined. A thread of 10,000 comments is 10 MB of markup (twice
that in memory once one character is not ASCII), so going through the post page's
templates it would be copied half a dozen times, and a worker's memory would peak
at several times the page. A view that calls `expect` before rendering lets a
template tag set its output aside with `set_aside`, which leaves a short marker in
the page; `splice` then encodes the output once and puts it in the marker's place
in the response's bytes. Rendered by a view that does not expect fragments, the
tag's output stays in the page as usual.
"""

import logging
import secrets

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

_FRAGMENTS = "_fragments_set_aside"


def expect(request: HttpRequest) -> None:
    """Let the templates about to render for `request` set fragments aside; `splice` after."""
    request.__dict__[_FRAGMENTS] = {}


def set_aside(request: HttpRequest, html: str) -> str:
    """What a template tag renders in place of `html`: a marker for `splice`, when
    the view expects fragments, else `html` itself."""
    fragments = request.__dict__.get(_FRAGMENTS)
    if fragments is None:
        return html
    # Random, so that no text on the page can pose as a marker (comments are sanitised anyway).
    marker = f"<!--fragment {secrets.token_hex(8)}-->"
    fragments[marker] = html
    return marker


def splice(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put every fragment set aside while rendering `response` in its marker's place."""
    fragments = request.__dict__.pop(_FRAGMENTS, None)
    if not fragments:
        return response
    content = response.content
    for marker, html in fragments.items():
        before, found, after = content.partition(marker.encode(response.charset))
        if not found:
            # The marker went through something that changed it: better no thread than a wrong one.
            logger.error("A fragment's marker is missing from the page at %s", request.path)
            continue
        content = b"".join((before, html.encode(response.charset), after))
    response.content = content
    return response
