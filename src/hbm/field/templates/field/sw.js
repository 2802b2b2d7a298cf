/* The HBM field app's service worker: it keeps the app's own files (shell, modules, styles,
   icons, translations) so that the app starts with no network. It never keeps API answers:
   personal data stays in the app's encrypted store, not in a cache. */
const VERSION = {{ version|safe }};
const CACHE_PREFIX = "hbm-field-";
const CACHE = CACHE_PREFIX + VERSION;
const PRECACHE = {{ precache|safe }};
const SHELL = new URL({{ scope|safe }}, self.location.href).href;

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOldCaches().then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate" && url.href.startsWith(SHELL)) {
    event.respondWith(cachedOrNetwork(SHELL));
    return;
  }
  event.respondWith(cachedOrNetwork(request));
});

/** Fetch every file of the app afresh (not from the HTTP cache) into this version's cache. */
async function precache() {
  const cache = await caches.open(CACHE);
  await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })));
}

async function dropOldCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
}

async function cachedOrNetwork(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  return hit || fetch(request);
}
