// Accord chat widget. Add to a page, for a signed-in customer:
//   <script src="https://ACCORD/static/widget.js" data-accord-code="ACCESS_CODE"
//           data-title="Chat with us" defer></script>
// The access code is the customer's token (POST /api/v1/customers/{id}/tokens), issued by
// the company's server for the customer who is signed in there.
// Without data-accord-code (and with ACCORD_WIDGET_ANONYMOUS=true on the server) anonymous
// visitors get a start form; POST /widget/v1/visitors answers with a visitor credential that
// is kept in this site's localStorage and sent exactly like an access code.
// Safe on a strict Content-Security-Policy: no inline script or style, no eval, no HTML
// strings (every text goes in with textContent), styles set through the CSSOM only. The page
// needs `script-src` and `connect-src` to allow the Accord origin.
(function () {
  "use strict";
  const script = document.currentScript || document.querySelector("script[src*='widget.js']");
  if (!script) return;
  const base = new URL(script.src, document.baseURI).origin;
  const visitorMode = !script.dataset.accordCode;
  const storageKey = "accord-widget-visitor:" + base;
  let code = script.dataset.accordCode || readStored();
  const title = script.dataset.title || "Chat with us";
  const ids = { panel: "accord-widget-panel", text: "accord-widget-text", name: "accord-widget-name",
    email: "accord-widget-email", first: "accord-widget-first" };
  let stopped = false;
  let following = false;

  // Storage may be switched off (privacy modes): the chat then lasts as long as the page.
  function readStored() {
    try { return window.localStorage.getItem(storageKey) || ""; } catch (error) { return ""; }
  }
  function store(value) {
    try {
      if (value) window.localStorage.setItem(storageKey, value);
      else window.localStorage.removeItem(storageKey);
    } catch (error) { /* kept in memory only */ }
  }

  function el(tag, props, style) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const [name, value] of Object.entries(style || {})) node.style.setProperty(name, value);
    return node;
  }

  function field(id, labelText, control) {
    const label = el("label", { htmlFor: id, textContent: labelText }, { display: "block", "margin-top": ".3rem" });
    return [label, control];
  }

  const BOX = { position: "fixed", right: "1rem", bottom: "1rem", "z-index": "2147483000",
    font: "15px/1.4 system-ui, sans-serif", color: "#1d2329" };
  const INPUT = { width: "100%", "box-sizing": "border-box", font: "inherit" };
  const root = el("div", { className: "accord-widget" }, BOX);
  const toggle = el("button", { type: "button", textContent: title }, {
    padding: ".6rem 1rem", border: "0", "border-radius": "999px", background: "#2456a6",
    color: "#fff", cursor: "pointer", float: "right" });
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", ids.panel);
  const panel = el("section", { id: ids.panel, hidden: true }, {
    width: "20rem", "max-width": "calc(100vw - 2rem)", background: "#fff", border: "1px solid #aab1b8",
    "border-radius": "8px", padding: ".75rem", "margin-bottom": ".5rem",
    "box-shadow": "0 4px 18px rgba(0,0,0,.18)" });
  panel.setAttribute("aria-label", title);
  const heading = el("h2", { textContent: title }, { margin: "0 0 .5rem", "font-size": "1rem" });
  const list = el("ol", { className: "accord-widget-messages" }, {
    "list-style": "none", margin: "0 0 .5rem", padding: "0", "max-height": "16rem", overflow: "auto" });
  list.setAttribute("aria-live", "polite");
  list.setAttribute("aria-label", "Messages");
  const status = el("p", { className: "accord-widget-status" }, { margin: "0 0 .4rem", color: "#5a6570" });
  status.setAttribute("role", "status");

  const form = el("form", {});
  const text = el("textarea", { id: ids.text, rows: 3, required: true, maxLength: 10000 }, INPUT);
  const send = el("button", { type: "submit", textContent: "Send" }, { "margin-top": ".4rem" });
  form.append(...field(ids.text, "Your message", text), send);

  // The visitor's start form: who they are (not verified) and what they need.
  const startForm = el("form", { className: "accord-widget-start", hidden: true });
  const name = el("input", { id: ids.name, type: "text", required: true, maxLength: 200, autocomplete: "name" }, INPUT);
  const email = el("input", { id: ids.email, type: "email", maxLength: 254, autocomplete: "email" }, INPUT);
  const first = el("textarea", { id: ids.first, rows: 3, required: true, maxLength: 10000 }, INPUT);
  const start = el("button", { type: "submit", textContent: "Start chat" }, { "margin-top": ".4rem" });
  startForm.append(...field(ids.name, "Your name", name), ...field(ids.email, "Email (optional)", email),
    ...field(ids.first, "How can we help?", first), start);
  panel.append(heading, list, status, startForm, form);
  root.append(panel, toggle);

  function showStart(starting) {
    startForm.hidden = !starting;
    form.hidden = starting;
    if (starting) list.replaceChildren();
  }
  function firstField() { return startForm.hidden ? text : name; }

  function render(state) {
    const items = state.messages.map((m) => {
      const item = el("li", { className: m.mine ? "accord-mine" : "accord-theirs" }, {
        margin: ".3rem 0", padding: ".4rem .6rem", "border-radius": "6px", "white-space": "pre-wrap",
        background: m.mine ? "#e8f0fb" : "#f1f3f5" });
      item.dataset.message = String(m.id);
      const who = el("strong", { textContent: m.author + ": " });
      item.append(who, document.createTextNode(m.text));
      return item;
    });
    list.replaceChildren(...items);
    list.scrollTop = list.scrollHeight;
  }

  // A credential that stopped working: a visitor starts afresh, a customer must sign in again.
  function signedOut() {
    if (!visitorMode) {
      stopped = true;
      return new Error("The chat is not available: please sign in again.");
    }
    code = "";
    store("");
    showStart(true);
    return new Error("Your chat has ended; start a new one.");
  }

  async function failure(response) {
    if (response.status === 401 || response.status === 403) {
      if (code) return signedOut();
      return new Error("The chat is not available right now.");
    }
    let detail = "";
    try { detail = (await response.json()).detail || ""; } catch (error) { /* not JSON */ }
    if (response.status === 429) return new Error("Please slow down: " + detail);
    if (response.status === 422) return new Error("Please check the form: " + detail);
    return new Error("Something went wrong (" + response.status + "); please try again.");
  }

  async function call(path, options) {
    const auth = code ? { Authorization: "Bearer " + code } : {};
    const response = await fetch(base + path, { ...options, headers: { ...auth, ...(options || {}).headers }, cache: "no-store", credentials: "omit" });
    if (!response.ok) throw await failure(response);
    return response.json();
  }

  function post(path, body) {
    return call(path, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
  }

  async function refresh() {
    if (!code) return;
    try {
      render(await call("/widget/v1/conversation"));
      status.textContent = "";
    } catch (error) {
      status.textContent = error.message;
    }
  }

  async function submitting(button, action) {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      status.textContent = error.message;
    } finally {
      button.disabled = false;
      firstField().focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    submitting(send, async () => {
      render(await post("/widget/v1/messages", { text: body }));
      text.value = "";
      status.textContent = "Sent.";
    });
  });

  startForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { name: name.value.trim(), email: email.value.trim() || null, text: first.value.trim() };
    if (!body.name || !body.text) return;
    submitting(start, async () => {
      const started = await post("/widget/v1/visitors", body);
      code = started.credential;
      store(code);
      showStart(false);
      render(started.state);
      first.value = "";
      status.textContent = "Sent.";
      follow();
    });
  });

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) { refresh(); firstField().focus(); } else { toggle.focus(); }
  }
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") setOpen(false); });

  // Server-Sent Events read with fetch, so the credential goes in a header, not the URL.
  async function follow() {
    if (following) return;
    following = true;
    while (!stopped && code) {
      try {
        const response = await fetch(base + "/widget/v1/stream", { headers: { Authorization: "Bearer " + code }, cache: "no-store", credentials: "omit" });
        if (response.status === 401 || response.status === 403) { signedOut(); break; }
        if (response.ok && response.body) await readEvents(response.body.getReader());
      } catch (error) {
        // the network dropped: reconnect below
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    following = false;
  }

  async function readEvents(reader) {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: changed$/m.test(block) && !panel.hidden) await refresh();
      }
    }
  }

  function begin() {
    showStart(!code);
    document.body.append(root);
    follow();
  }
  if (document.body) begin(); else document.addEventListener("DOMContentLoaded", begin);
})();
