// The public pages' behaviour (no inline script: the Content-Security-Policy forbids it).
"use strict";

// Install the app: the service worker lives at the root so that it may serve the whole site.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}

// The receipt's QR code opens /tra-cuu/#<code>.<pin>. The fragment never reaches the server;
// it is taken off the address and posted with the lookup form (CSRF-protected), so the PIN
// appears in no URL and no log (ADR 13).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-fragment-lookup]");
  const fragment = decodeURIComponent(window.location.hash.slice(1));
  if (!form || !fragment) return;
  history.replaceState(null, "", window.location.pathname);
  const cut = fragment.lastIndexOf(".");
  const code = fragment.slice(0, cut).trim();
  const pin = fragment.slice(cut + 1).trim();
  if (cut < 1 || !/^[0-9A-Za-z]{4,20}$/.test(pin) || code.length > 60) return;
  form.elements.code.value = code;
  form.elements.pin.value = pin;
  form.submit();
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// A submit button marked data-once sends its form once: a double click files one dossier
// (the server locks the draft as well; this only spares the second request).
document.addEventListener("submit", (event) => {
  const button = event.target.querySelector("button[data-once]");
  if (!button) return;
  if (button.dataset.sent) {
    event.preventDefault();
    return;
  }
  button.dataset.sent = "1";
});
