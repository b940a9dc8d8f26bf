// Accord chat widget. Add to a page, for a signed-in customer:
//   <script src="https://ACCORD/static/widget.js" data-accord-code="ACCESS_CODE"
//           data-title="Chat with us" defer></script>
// The access code is the customer's token (POST /api/v1/customers/{id}/tokens), issued by
// the company's server for the customer who is signed in there.
// Safe on a strict Content-Security-Policy: no inline script or style, no eval, no HTML
// strings (every text goes in with textContent), styles set through the CSSOM only. The page
// needs `script-src` and `connect-src` to allow the Accord origin.
(function () {
  "use strict";
  const script = document.currentScript || document.querySelector("script[data-accord-code]");
  if (!script || !script.dataset.accordCode) return;
  const base = new URL(script.src, document.baseURI).origin;
  const headers = { Authorization: "Bearer " + script.dataset.accordCode };
  const title = script.dataset.title || "Chat with us";
  const ids = { panel: "accord-widget-panel", text: "accord-widget-text" };
  let stopped = false;

  function el(tag, props, style) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const [name, value] of Object.entries(style || {})) node.style.setProperty(name, value);
    return node;
  }

  const BOX = { position: "fixed", right: "1rem", bottom: "1rem", "z-index": "2147483000",
    font: "15px/1.4 system-ui, sans-serif", color: "#1d2329" };
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
  const label = el("label", { htmlFor: ids.text, textContent: "Your message" }, { display: "block" });
  const text = el("textarea", { id: ids.text, rows: 3, required: true, maxLength: 10000 }, {
    width: "100%", "box-sizing": "border-box", font: "inherit" });
  const send = el("button", { type: "submit", textContent: "Send" }, { "margin-top": ".4rem" });
  form.append(label, text, send);
  panel.append(heading, list, status, form);
  root.append(panel, toggle);

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

  async function call(path, options) {
    const response = await fetch(base + path, { ...options, headers: { ...headers, ...(options || {}).headers }, cache: "no-store", credentials: "omit" });
    if (response.status === 401 || response.status === 403) {
      stopped = true;
      throw new Error("The chat is not available: please sign in again.");
    }
    if (!response.ok) throw new Error("Something went wrong (" + response.status + "); please try again.");
    return response.json();
  }

  async function refresh() {
    try {
      render(await call("/widget/v1/conversation"));
      status.textContent = "";
    } catch (error) {
      status.textContent = error.message;
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    send.disabled = true;
    try {
      const state = await call("/widget/v1/messages", {
        method: "POST", body: JSON.stringify({ text: body }),
        headers: { "Content-Type": "application/json" } });
      render(state);
      text.value = "";
      status.textContent = "Sent.";
    } catch (error) {
      status.textContent = error.message;
    } finally {
      send.disabled = false;
      text.focus();
    }
  });

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) { refresh(); text.focus(); } else { toggle.focus(); }
  }
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") setOpen(false); });

  // Server-Sent Events read with fetch, so the access code goes in a header, not the URL.
  async function follow() {
    while (!stopped) {
      try {
        const response = await fetch(base + "/widget/v1/stream", { headers, cache: "no-store", credentials: "omit" });
        if (response.status === 401 || response.status === 403) { stopped = true; break; }
        if (response.ok && response.body) await readEvents(response.body.getReader());
      } catch (error) {
        // the network dropped: reconnect below
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
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

  function start() {
    document.body.append(root);
    follow();
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
