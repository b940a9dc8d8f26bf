"""The Chromium side of the XSS corpus: a page that watches for anything a payload could do.

The context bypasses the Content-Security-Policy, so only escaping stands between a payload
and the page. Counted as an execution: a dialog, a script error, `window.__xss` set in any
frame, or a request to the loopback marker (`BEACON`). After every render the DOM of the page
is audited like the HTTP test audits the HTML (the same vocabulary of the templates), and the
DOM of every sandboxed email frame must hold no script, handler or javascript: URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.web.xss_audit import URL_ATTRIBUTES, vocabulary
from tests.web.xss_vectors import BEACON_ORIGIN

# What htmx itself writes into the DOM as it takes over an element.
HTMX_RUNTIME = frozenset({"data-htmx-powered"})
DOM_AUDIT = """(v) => {
  const tags = new Set(v.tags), words = new Set([...v.words, ...v.runtime]), hx = new Set(v.hx);
  const triggers = new Set(v.triggers), urls = new Set(v.urls);
  const scheme = /^(javascript|vbscript|data|livescript|mocha):/i;
  const dangerous = (s) => scheme.test(s.replace(/^[\\x00-\\x20]+|[\\x00-\\x20]+$/g, '')
                                        .replace(/[\\t\\n\\r]/g, ''));
  const bad = window.__xss === undefined ? [] : ['window.__xss set'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    const where = tag + (el.id ? '#' + el.id : '');
    if (!tags.has(tag)) bad.push('element ' + where);
    for (const a of el.attributes) {
      const name = a.name;
      if (name.startsWith('on')) bad.push(where + ' ' + name);
      if (!words.has(name.toLowerCase())) bad.push(where + ' attribute ' + name);
      if (urls.has(name) && dangerous(a.value)) bad.push(where + ' ' + name + '=' + a.value);
      if (name.startsWith('hx-') || name.startsWith('data-hx-')) {
        if (!hx.has(name)) bad.push(where + ' ' + name);
        if (name === 'hx-trigger' && !triggers.has(a.value)) bad.push(where + ' ' + a.value);
        if (name !== 'hx-headers:inherited' && /xss|alert|javascript|js:/i.test(a.value))
          bad.push(where + ' ' + name + '=' + a.value);
      }
    }
  }
  for (const s of document.scripts) if (!s.src.includes('/static/')) bad.push('inline script');
  for (const f of document.querySelectorAll('iframe'))
    if (f.getAttribute('sandbox') !== '' || f.hasAttribute('src')) bad.push('unsandboxed frame');
  for (const m of document.querySelectorAll('meta[http-equiv]')) bad.push('meta http-equiv');
  for (const s of document.querySelectorAll('svg:not(.chart)')) bad.push('svg');
  for (const l of document.querySelectorAll('link'))
    if (!l.getAttribute('href').startsWith('/static/')) bad.push('link ' + l.href);
  return bad;
}"""
FRAME_AUDIT = """(urls) => {
  const scheme = /^(javascript|vbscript|data|livescript|mocha):/i;
  const forbidden = 'script, style, iframe, frame, object, embed, applet, form, input, button, '
    + 'textarea, select, base, meta, link, svg, math, template, noscript';
  const bad = [...document.querySelectorAll(forbidden)].map((e) => 'email kept ' + e.localName);
  if (window.__xss !== undefined) bad.push('window.__xss set');
  for (const el of document.querySelectorAll('*'))
    for (const a of el.attributes) {
      if (a.name.startsWith('on') || a.name === 'style') bad.push('email kept ' + a.name);
      const value = a.value.replace(/^[\\x00-\\x20]+|[\\x00-\\x20]+$/g, '');
      if (urls.includes(a.name) && scheme.test(value.replace(/[\\t\\n\\r]/g, '')))
        bad.push('email kept ' + a.value);
    }
  return bad;
}"""


def as_text(value: str) -> str:
    """`value` as the DOM holds it in text: the parser turns CR LF and CR into LF and drops
    NUL characters."""
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def as_attribute(value: str) -> str:
    """... and in an attribute, <title> or <textarea>: NUL becomes U+FFFD."""
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


@dataclass
class Probe:
    """A page of a fresh browser context, with everything an execution could leave counted."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    beacons: list[str] = field(default_factory=list)
    remote_images: list[str] = field(default_factory=list)  # kept by nh3, blocked by the CSP
    marks: list[str] = field(default_factory=list)  # frames where window.__xss was set
    renders: int = 0
    visited: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, browser: Any, base_url: str, *, bypass_csp: bool = True) -> Probe:
        context = browser.new_context(base_url=base_url, bypass_csp=bypass_csp)
        probe = cls(context.new_page())
        context.route(f"{BEACON_ORIGIN}/**", probe._beacon)
        probe.page.on("dialog", probe._dialog)
        probe.page.on("pageerror", lambda exc: probe.errors.append(str(exc)))
        context.on("request", probe._request)
        return probe

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _beacon(self, route: Any) -> None:
        request = route.request
        email_image = request.resource_type == "image" and request.frame.url == "about:srcdoc"
        (self.remote_images if email_image else self.beacons).append(request.url)
        route.fulfill(status=204)

    def _request(self, request: Any) -> None:
        url = request.url
        if "xss-beacon" in url and not url.startswith(BEACON_ORIGIN) and url not in self.visited:
            self.beacons.append(url)

    @property
    def executions(self) -> int:
        return len(self.dialogs) + len(self.errors) + len(self.beacons) + len(self.marks)

    def goto(self, url: str) -> None:
        response = self.page.goto(url)
        self.visited.add(self.page.url)
        assert response is not None
        self.check(url)

    def check(self, where: str) -> None:
        """After a render: nothing ran, nothing active got into the DOM."""
        words = vocabulary()
        found = self.page.evaluate(
            DOM_AUDIT,
            {
                "tags": sorted(words.tags),
                "words": sorted(words.words),
                "hx": sorted(words.hx_attributes),
                "triggers": sorted(words.hx_triggers),
                "urls": sorted(URL_ATTRIBUTES),
                "runtime": sorted(HTMX_RUNTIME),
            },
        )
        for frame in self.page.frames[1:]:
            found += frame.evaluate(FRAME_AUDIT, sorted(URL_ATTRIBUTES))
        self.marks += [f"{where}: {f}" for f in found if f == "window.__xss set"]
        assert found == [], (where, found[:5])
        assert self.executions == 0, (where, self.report())
        self.renders += 1

    def texts(self, selector: str) -> list[str]:
        found: list[str] = self.page.eval_on_selector_all(
            selector, "els => els.map((e) => e.textContent)"
        )
        return found

    def attributes(self, selector: str, name: str) -> list[str]:
        found: list[str] = self.page.eval_on_selector_all(
            selector, "(els, name) => els.map((e) => e.getAttribute(name))", name
        )
        return found

    def report(self) -> dict[str, Any]:
        return {
            "renders": self.renders,
            "executions": self.executions,
            "dialogs": self.dialogs[:5],
            "errors": self.errors[:5],
            "beacons": self.beacons[:5],
            "marks": self.marks[:5],
            "email remote images blocked by the CSP": len(self.remote_images),
        }

    def close(self) -> None:
        self.page.wait_for_timeout(1000)  # late timers, animations, "every 1s" triggers
        self.check("last page, a second later")
        self.renders -= 1
        self.page.context.close()
