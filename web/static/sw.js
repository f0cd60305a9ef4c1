// The service worker keeps the officer's form usable with no network: the
// form and its files come from this cache when the network fails. The
// API is never cached: records wait in the page's outbox instead.
const CACHE = 'outbound-__VERSION__';
const SHELL = ['/capture', '/static/app.css', '/static/capture.js', '/static/badges.js', '/static/outbox.js', '/static/rules.js', '/static/rules.json'];

self.addEventListener('install', ev => {
  ev.waitUntil(caches.open(CACHE).then(c => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', ev => {
  ev.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k.startsWith('outbound-') && k !== CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', ev => {
  const url = new URL(ev.request.url);
  if (ev.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/capture') {
    // The network first, for a fresh form; the cached one offline.
    ev.respondWith(fetch(ev.request).then(res => {
      if (res.ok && !res.redirected) {
        const copy = res.clone();
        caches.open(CACHE).then(c => c.put('/capture', copy));
      }
      return res;
    }).catch(() => caches.match('/capture').then(r => r || Response.error())));
    return;
  }
  if (url.pathname.startsWith('/static/')) {
    ev.respondWith(caches.match(ev.request, { ignoreSearch: true }).then(hit => hit || fetch(ev.request)));
  }
});
