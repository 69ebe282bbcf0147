// motcua's service worker (served at /sw.js by portal/app.py; ADR 13).
// It keeps the app shell and the public catalogue for offline use, and NOTHING else: a page
// is stored only if its address is on the allow-list below AND its answer allows it (no
// Cache-Control private/no-store, no Vary: Cookie, i.e. nothing that depends on who asks).
// Lookup results, accounts, my-dossiers, filing and every non-GET request are never stored.
"use strict";
const CACHE = "motcua-__VERSION__";
const SHELL = {{ shell|safe }};
const OFFLINE = {{ offline|safe }};
const ALLOWED = [
  /^\/static\//,
  /^\/offline\/$/,
  /^\/thu-tuc\/$/,
  /^\/thu-tuc\/[0-9]\.[0-9]{6}\/(in\/)?$/,
];
// Staff and machine areas: the worker stays out of their way entirely.
const IGNORED = [/^\/desk\//, /^\/admin\//, /^\/ioc\//, /^\/api\//];

function allowed(url) {
  return url.origin === self.location.origin && ALLOWED.some((re) => re.test(url.pathname));
}

function storable(request, response) {
  if (request.method !== "GET" || !allowed(new URL(request.url))) return false;
  if (!response || !response.ok || response.type !== "basic" || response.redirected) return false;
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  if (control.includes("no-store") || control.includes("private")) return false;
  const vary = (response.headers.get("Vary") || "").toLowerCase();
  return !vary.includes("cookie") && !vary.includes("*");
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, url) {
  try {
    const response = await fetch(request);
    if (storable(request, response)) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const kept = allowed(url) ? await caches.match(request) : undefined;
    if (kept) return kept;
    if (request.mode === "navigate") {
      const page = await caches.match(OFFLINE);
      if (page) return page;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || IGNORED.some((re) => re.test(url.pathname))) return;
  if (request.mode !== "navigate" && !allowed(url)) return;
  event.respondWith(networkFirst(request, url));
});
