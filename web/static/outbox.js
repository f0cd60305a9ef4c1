// The outbox: inspections recorded on this device, kept in IndexedDB until
// the server has stored them. Their ids are made here, so a resend after a
// lost answer is a replay on the server, never a second record.
const DB = 'outbound', OUTBOX = 'outbox', REFUSED = 'refused';

function openDB() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(OUTBOX, { keyPath: 'id' });
      req.result.createObjectStore(REFUSED, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// run calls fn with the store inside one transaction and resolves when it
// has committed: a record is on disk before the form says it is kept.
async function run(store, mode, fn) {
  const db = await openDB();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    let out;
    Promise.resolve(fn(tx.objectStore(store))).then(v => { out = v; });
    tx.oncomplete = () => { db.close(); resolve(out); };
    tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
  });
}

function request(req) {
  return new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
}

export function keep(body) {
  return run(OUTBOX, 'readwrite', s => request(s.put({ id: body.id, body, saved_at: Date.now() })));
}

export async function waiting() {
  const all = await run(OUTBOX, 'readonly', s => request(s.getAll()));
  return all.sort((a, b) => a.saved_at - b.saved_at);
}

export function refused() {
  return run(REFUSED, 'readonly', s => request(s.getAll()));
}

export function discard(id) {
  return run(REFUSED, 'readwrite', s => request(s.delete(id)));
}

async function settle(item, result) {
  uncertain.delete(item.id);
  if (result.status === 'created' || result.status === 'replayed') {
    await run(OUTBOX, 'readwrite', s => request(s.delete(item.id)));
    return 'sent';
  }
  // conflict or invalid: sending again cannot help; keep it apart, with why.
  const why = (result.error && result.error.message) || result.status;
  await run(REFUSED, 'readwrite', s => request(s.put({ ...item, error: why })));
  await run(OUTBOX, 'readwrite', s => request(s.delete(item.id)));
  return 'refused';
}

let csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';

// session refreshes the CSRF token: the page may come from the offline
// cache, older than the session.
async function session() {
  const res = await fetch('/api/v1/session', { credentials: 'same-origin' });
  if (res.status === 401) throw new AuthError();
  if (res.ok) csrf = (await res.json()).csrf_token || csrf;
}

export class AuthError extends Error {
  constructor() { super('Your session has ended: sign in again to send what is waiting. Nothing is lost.'); }
}

let running = null;
let lock = Promise.resolve();

// exclusive runs fn after every send and withdrawal before it: a record
// is never withdrawn while a send of it is under way.
function exclusive(fn) {
  const done = lock.then(fn);
  lock = done.catch(() => {});
  return done;
}

// flush sends what waits, in batches, oldest first; one run at a time.
// It resolves to counts, and rejects when the network or the session
// fails (what waits stays).
export function flush() {
  if (!running) running = exclusive(send).finally(() => { running = null; });
  return running;
}

// withdraw takes a record back that has not been sent: the form's Undo.
// It resolves to 'waiting' or 'refused' (where it was, now removed), or
// to null when it was sent already, or may have been (a void must then
// take it back).
export function withdraw(id) {
  return exclusive(async () => {
    if (uncertain.has(id)) return null;
    for (const [store, where] of [[OUTBOX, 'waiting'], [REFUSED, 'refused']]) {
      const found = await run(store, 'readwrite', s => request(s.get(id)).then(item => item && request(s.delete(id)).then(() => true)));
      if (found) return where;
    }
    return null;
  });
}

async function send() {
  const counts = { sent: 0, refused: 0 };
  let items = await waiting();
  if (items.length === 0) return counts;
  await session();
  while (items.length > 0) {
    const batch = items.slice(0, 200);
    let res = await post(batch);
    if (res.status === 403) { await session(); res = await post(batch); }
    if (res.status === 401) throw new AuthError();
    if (!res.ok) throw new Error('the server answered ' + res.status);
    const { results } = await res.json();
    for (let i = 0; i < batch.length; i++) counts[await settle(batch[i], results[i])]++;
    localStorage.setItem('outbound.lastSync', new Date().toISOString());
    items = items.slice(batch.length);
  }
  return counts;
}

// Records whose post failed on the way (the network, not the server's
// answer): the server may have stored them. withdraw leaves them to be
// sent, and the form voids them after.
const uncertain = new Set();

async function post(batch) {
  try {
    return await fetch('/api/v1/inspections', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(batch.map(i => i.body)),
    });
  } catch (e) {
    for (const i of batch) uncertain.add(i.id);
    throw e;
  }
}
