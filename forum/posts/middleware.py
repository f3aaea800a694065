import re

from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import reverse

from forum.posts import page_cache

SLUG_PLACEHOLDER = "slug-placeholder"


class PageCacheMiddleware:
    """Answer signed-out readers of a post page from the full-page cache, early.

    It sits right after the middleware adding the security and CSP headers, so a cached
    page skips the sessions, CSRF, authentication and messages layers and the URL
    resolver. What those layers would have added to the page (the frame options, the
    length) is added here, so a cached page carries the headers of a rendered one.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.frame_options = XFrameOptionsMiddleware(get_response)
        self._detail_path = None

    @property
    def detail_path(self) -> re.Pattern:
        # Built on first use: the URLconf cannot be loaded while the middleware is set up.
        if self._detail_path is None:
            before, after = reverse("posts:detail", kwargs={"slug": SLUG_PLACEHOLDER}).split(SLUG_PLACEHOLDER)
            self._detail_path = re.compile(rf"{re.escape(before)}(?P<slug>[-a-zA-Z0-9_]+){re.escape(after)}")
        return self._detail_path

    def __call__(self, request):
        if request.method in {"GET", "HEAD"} and (match := self.detail_path.fullmatch(request.path_info)):
            request.get_host()  # refuses a host not allowed, as the common middleware would
            cached = page_cache.lookup(request, match["slug"])
            if isinstance(cached, HttpResponse):
                return self._finish(request, cached)
            request.page_cache_ticket = cached  # the view stores the page it renders under it
        return self.get_response(request)

    def _finish(self, request, response: HttpResponse) -> HttpResponse:
        response = self.frame_options.process_response(request, response)
        if not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
