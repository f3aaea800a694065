"""Reading the parts of a page that the account tests check: the main area, its controls, links in mail."""

import re
from html.parser import HTMLParser

BOOTSTRAP_CONTROL_CLASSES = {"form-control", "form-check-input", "form-select"}


class _Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.buttons: list[dict] = []
        self.label_targets: set[str] = set()
        self._form: dict = {}
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = attributes
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        elif tag == "button":
            # Where the button sends its form, and what it says, for tests on what a page offers.
            self._button = attributes | {"form_method": self._form.get("method", ""), "text": ""}
            self.buttons.append(self._button)
        elif tag in {"input", "select", "textarea"} and attributes.get("type") not in {"hidden", "submit"}:
            self.controls.append(attributes)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = {}
        elif tag == "button":
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] = " ".join((self._button["text"] + " " + data).split())


def main_html(response) -> str:
    text = response.content.decode()
    start = text.index('<main id="main"')
    return text[start : text.index("</main>", start)]


def controls_in(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


def unlabelled_controls(html: str) -> list[dict]:
    found = controls_in(html)
    return [control for control in found.controls if control.get("id") not in found.label_targets]


def unstyled_controls(html: str) -> list[dict]:
    found = controls_in(html)
    unstyled = [
        control for control in found.controls if not BOOTSTRAP_CONTROL_CLASSES & set(control.get("class", "").split())
    ]
    return unstyled + [button for button in found.buttons if "btn" not in button.get("class", "").split()]


def buttons_in(html: str) -> list[dict]:
    return controls_in(html).buttons


def link_in(message, path_start: str) -> str:
    """The path of the first link in an email whose path starts with `path_start`."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_start)}\S*)", message.body)
    assert match, f"no link to {path_start} in: {message.body}"
    return match.group(1)
