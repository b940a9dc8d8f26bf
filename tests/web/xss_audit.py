"""What a rendered page may hold, judged from its HTML without a browser.

The vocabulary comes from the templates themselves (every tag and attribute name they write,
every htmx attribute and trigger), so a new template widens it and nothing else does: an
element, attribute or htmx instruction that is not the templates' came from data. On top:
no event-handler attribute, no script but the static files, no dangerous URL scheme in an
attribute that takes a URL, RCDATA (title, textarea) holding no "<", and the sanitised email
HTML inside a sandboxed frame's srcdoc is audited in turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import escape

import accord.web

TEMPLATES = Path(accord.web.__file__).parent / "templates"
_URLS = """href src action formaction data poster background xlink:href ping cite srcset manifest
codebase icon lowsrc dynsrc longdesc usemap profile"""
URL_ATTRIBUTES = frozenset(_URLS.split())
DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data|livescript|mocha):", re.I)
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
# What nh3 must have removed from an email's HTML.
_FORBIDDEN = """script style iframe frame frameset object embed applet form input button textarea
select option base meta link svg math template noscript xmp plaintext"""
EMAIL_FORBIDDEN = frozenset(_FORBIDDEN.split())
MARKERS = ("xss", "alert", "javascript", "js:")


@dataclass(frozen=True)
class Vocabulary:
    tags: frozenset[str]
    words: frozenset[str]  # every name-like token of the templates: attribute names among them
    hx_attributes: frozenset[str]
    hx_triggers: frozenset[str]


@cache
def vocabulary() -> Vocabulary:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.glob("*.html")))
    return Vocabulary(
        tags=frozenset(t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9-]*)", text)),
        words=frozenset(w.lower() for w in re.findall(r"[a-zA-Z][-a-zA-Z0-9_:]*", text)),
        hx_attributes=frozenset(re.findall(r"\s((?:data-)?hx-[a-z:-]+)=", text)),
        hx_triggers=frozenset(re.findall(r'hx-trigger="([^"]*)"', text)),
    )


def escaped(value: str) -> str:
    """How the templates write `value` (Jinja's autoescape)."""
    return str(escape(value))


def dangerous_url(value: str) -> bool:
    """Whether a browser would take `value` for a javascript:, data: or vbscript: URL (the URL
    standard strips C0 controls and spaces around it and tabs and newlines inside it)."""
    stripped = value.strip(_C0_OR_SPACE)
    return bool(DANGEROUS_URL.match(re.sub(r"[\t\n\r]", "", stripped)))


class _Audit(HTMLParser):
    """Problems of one document; `email` for the HTML of a sandboxed frame."""

    def __init__(self, *, email: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.email = email
        self.problems: list[str] = []
        self.frames: list[str] = []  # the srcdoc of each frame
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        where = f"<{tag} {' '.join(values)}>"[:200]
        if self.email:
            if tag in EMAIL_FORBIDDEN:
                self.problems.append(f"email HTML kept {where}")
        else:
            self._page_element(tag, values, where)
        for name, value in values.items():
            self._attribute(tag, name, value, where)

    def _page_element(self, tag: str, values: dict[str, str], where: str) -> None:
        words = vocabulary()
        if tag not in words.tags:
            self.problems.append(f"element the templates never write: {where}")
        for name in values:
            if name not in words.words:
                self.problems.append(f"attribute the templates never write: {name} in {where}")
        if tag == "script":
            self._in_script = True
            if not values.get("src", "").startswith("/static/"):
                self.problems.append(f"script that is not a static file: {where}")
        if tag == "iframe":
            if values.get("sandbox") != "" or "src" in values:
                self.problems.append(f"frame without an empty sandbox: {where}")
            self.frames.append(values.get("srcdoc", ""))
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"meta http-equiv: {where}")
        if tag == "link" and not values.get("href", "").startswith("/static/"):
            self.problems.append(f"link that is not a static file: {where}")
        if tag == "svg" and values.get("class") != "chart":
            self.problems.append(f"svg that is not the heat chart: {where}")

    def _attribute(self, tag: str, name: str, value: str, where: str) -> None:
        if name.startswith("on"):
            self.problems.append(f"event handler {name} in {where}")
        if name in URL_ATTRIBUTES and dangerous_url(value):
            self.problems.append(f"{name}={value[:60]!r} in {where}")
        if self.email:
            if name == "style" or name.startswith(("hx-", "data-hx-")):
                self.problems.append(f"email HTML kept {name} in {where}")
            return
        if name.startswith(("hx-", "data-hx-")):
            words = vocabulary()
            if name not in words.hx_attributes:
                self.problems.append(f"htmx attribute the templates never write: {where}")
            if name == "hx-trigger" and value not in words.hx_triggers:
                self.problems.append(f"htmx trigger {value!r} in {where}")
            if name != "hx-headers:inherited" and any(m in value.lower() for m in MARKERS):
                self.problems.append(f"htmx attribute carrying a payload: {where}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:80]!r}")


_RCDATA = re.compile(r"<(title|textarea)\b[^>]*>(.*?)</\1", re.S | re.I)


def audit(body: str) -> list[str]:
    """Everything in a page (and in the email HTML of its frames) that must not be there."""
    parser = _Audit()
    parser.feed(body)
    parser.close()
    problems = parser.problems
    for tag, content in _RCDATA.findall(body):
        if "<" in content:
            problems.append(f"markup inside <{tag}>: {content[:80]!r}")
    if body.lower().count("<script") != body.count('<script src="/static/'):
        problems.append("a <script that is not one of the static ones")
    for srcdoc in parser.frames:
        inner = _Audit(email=True)
        inner.feed(srcdoc)
        inner.close()
        problems += inner.problems
    return problems


def missing(body: str, values: list[str] | set[str]) -> list[str]:
    """The values whose escaped form the page does not show."""
    return [v for v in values if escaped(v) not in body]
