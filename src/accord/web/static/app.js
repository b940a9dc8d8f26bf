// Small progressive enhancements; the pages work without this file.
"use strict";

document.addEventListener("accord:sent", () => {
  // The server accepted the message: clear the draft.
  const text = document.getElementById("composer-text");
  if (text) { text.value = ""; text.focus(); }
  const coach = document.getElementById("coach");
  if (coach) coach.replaceChildren();
});

document.addEventListener("keydown", (event) => {
  // j / k move between conversations in a list; "/" jumps to the filters.
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target instanceof HTMLElement && target.closest("input, textarea, select")) return;
  if (event.key === "/") {
    const first = document.querySelector("#filters select");
    if (first) { event.preventDefault(); first.focus(); }
    return;
  }
  if (event.key !== "j" && event.key !== "k") return;
  const links = Array.from(document.querySelectorAll("a.conv-link"));
  if (links.length === 0) return;
  const at = links.indexOf(document.activeElement);
  const next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
  event.preventDefault();
  links[at === -1 ? 0 : next].focus();
});

// Live updates: the region marked data-live listens to its Server-Sent Events stream and
// re-fetches itself (hx-trigger="accord:changed") when the server says it changed.
function connectLive() {
  const region = document.querySelector("[data-live]");
  if (!region || !window.EventSource) return;
  const source = new EventSource(region.dataset.live);
  source.addEventListener("changed", () => {
    const current = document.querySelector("[data-live]");
    if (current && window.htmx) window.htmx.trigger(current, "accord:changed");
  });
  window.addEventListener("pagehide", () => source.close());
}
document.addEventListener("DOMContentLoaded", connectLive);

// A successful request clears the message a failed one left in the alert area.
document.addEventListener("htmx:after:request", (event) => {
  const response = event.detail && event.detail.ctx && event.detail.ctx.response;
  const alerts = document.getElementById("alerts");
  if (alerts && response && response.status < 400) alerts.replaceChildren();
});
