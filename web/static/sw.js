// The service worker keeps the officer's form usable with no network: the
// form, the outbox and their files come from this cache when the network
// fails. The API is never cached: records wait in the page's outbox
// instead.
//
// The pages name the user they were made for, so they are forgotten as
// someone signs in or out on this phone (the sign-in page and the sign-out
// button ask, see forget.js): the next officer never sees the last one's
// name, offline or not.
const CACHE = 'outbound-__VERSION__';
const PAGES = ['/capture', '/outbox'];
const FILES = ['/static/app.css', '/static/capture.js', '/static/badges.js', '/static/rules.js', '/static/rules.json', '/static/outbox.js',
  '/static/outbox-view.js', '/static/outbox-page.js', '/static/signout.js', '/static/forget.js'];

self.addEventListener('install', ev => {
  ev.waitUntil(caches.open(CACHE)
    .then(c => c.addAll(FILES).then(() => Promise.all(PAGES.map(p => fetch(p).then(res => keepPage(c, p, res)).catch(() => null)))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', ev => {
  ev.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k.startsWith('outbound-') && k !== CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// keepPage keeps a page as served to someone signed in: not the sign-in
// page a redirect led to.
function keepPage(cache, path, res) {
  return res.ok && !res.redirected ? cache.put(path, res) : null;
}

function forgetPages() {
  return caches.open(CACHE).then(c => Promise.all(PAGES.map(p => c.delete(p))));
}

self.addEventListener('message', ev => {
  if (ev.data === 'forget-pages') ev.waitUntil(forgetPages().then(() => ev.ports[0]?.postMessage('forgotten')));
});

// offline answers a page asked for with no network and none kept: after
// signing out, there is no form until someone signs in.
function offline() {
  return new Response('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>No network · outbound</title><link rel="stylesheet" href="/static/app.css"></head><body><main id="main"><h1>No network</h1>' +
    '<p>Sign in when the network is back. Records kept on this phone are sent then, each under the officer who made it.</p></main></body></html>',
  { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

self.addEventListener('fetch', ev => {
  const url = new URL(ev.request.url);
  if (url.origin !== self.location.origin) return;
  if (ev.request.method !== 'GET') return;
  if (PAGES.includes(url.pathname)) {
    // The network first, for a fresh page; the kept one offline.
    ev.respondWith(fetch(ev.request).then(res => {
      caches.open(CACHE).then(c => keepPage(c, url.pathname, res.clone()));
      return res;
    }).catch(() => caches.match(url.pathname).then(r => r || offline())));
    return;
  }
  if (url.pathname.startsWith('/static/')) {
    ev.respondWith(caches.match(ev.request, { ignoreSearch: true }).then(hit => hit || fetch(ev.request)));
  }
});
