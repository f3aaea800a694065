"""Large fragments of a page, kept out of the template's string joins.

Django builds a page by joining the output of every block and include, and each
level copies what it joined. A thread of 10,000 comments is 10 MB of markup (twice
that in memory once one character is not ASCII), so going through the post page's
templates it would be copied half a dozen times, and a worker's memory would peak
at several times the page. A template tag can instead set its output aside with
`set_aside`, which leaves a short marker in the page; `splice` then encodes the
output once and puts it in the marker's place in the response's bytes.
"""

import secrets

from django.http import HttpRequest, HttpResponse

_FRAGMENTS = "_fragments_set_aside"


def set_aside(request: HttpRequest, html: str) -> str:
    """Keep `html` for `splice`; returns the marker to render in its place."""
    # Random, so that no text on the page can pose as a marker (comments are sanitised anyway).
    marker = f"<!--fragment {secrets.token_hex(8)}-->"
    request.__dict__.setdefault(_FRAGMENTS, {})[marker] = html
    return marker


def splice(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put every fragment set aside while rendering `response` in its marker's place."""
    fragments = request.__dict__.pop(_FRAGMENTS, None)
    if not fragments:
        return response
    content = response.content
    for marker, html in fragments.items():
        before, found, after = content.partition(marker.encode())
        if found:
            content = b"".join((before, html.encode(), after))
    response.content = content
    return response
