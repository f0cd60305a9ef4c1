// The outbox: inspections recorded on this device, kept in IndexedDB until
// the server has stored them. Their ids are made here, so a resend after a
// lost answer is a replay on the server, never a second record.
//
// Each record belongs to the user who made it (its owner), and is sent
// only under that user's session: a phone passed to another officer never
// sends the first one's records under the second one's name. What the
// server refused is kept apart, with its reason, until the officer
// corrects it (sent again) or discards it; what it stored is kept for the
// day, for the officer to see.
const DB = 'outbound', OUTBOX = 'outbox', REFUSED = 'refused', SENT = 'sent';

// owner is the user this page was made for: the layout names them.
export const owner = document.querySelector('meta[name="outbound-user"]')?.content || '';

function openDB() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = ev => {
      const db = req.result, tx = req.transaction;
      if (ev.oldVersion < 1) {
        db.createObjectStore(OUTBOX, { keyPath: 'id' });
        db.createObjectStore(REFUSED, { keyPath: 'id' });
      }
      if (ev.oldVersion < 2) {
        db.createObjectStore(SENT, { keyPath: 'id' });
        for (const name of [OUTBOX, REFUSED, SENT]) tx.objectStore(name).createIndex('owner', 'owner');
        // Records kept before they had owners belong to whoever opens
        // this version first: before it, they were sent under whoever
        // was signed in.
        for (const name of [OUTBOX, REFUSED]) {
          tx.objectStore(name).openCursor().onsuccess = e => {
            const c = e.target.result;
            if (!c) return;
            if (c.value && typeof c.value === 'object' && c.value.owner === undefined) c.update({ ...c.value, owner });
            c.continue();
          };
        }
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// run calls fn with a transaction over the stores and resolves when it
// has committed: a record is on disk before the form says it is kept.
async function run(stores, mode, fn) {
  const db = await openDB();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    let out, failed;
    Promise.resolve(fn(tx)).then(v => { out = v; }, err => { failed = err; tx.abort(); });
    tx.oncomplete = () => { db.close(); resolve(out); };
    tx.onerror = tx.onabort = () => { db.close(); reject(failed || tx.error); };
  });
}

function request(req) {
  return new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
}

// owned lists a store's records of one user, oldest first. Anything may
// be in the store (an older version's records, or a hostile script's):
// what is not a record is left out.
async function owned(store, who) {
  const all = await run([store], 'readonly', tx => request(tx.objectStore(store).index('owner').getAll(who)));
  return all.filter(i => i && typeof i === 'object' && i.body && typeof i.body === 'object')
    .sort((a, b) => (Number(a.saved_at) || 0) - (Number(b.saved_at) || 0));
}

// uuid makes a random (version 4) UUID, also where crypto.randomUUID is
// missing (pages served over plain HTTP to a phone).
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// keep puts an inspection in the outbox, as this page's user's.
export function keep(body) {
  return run([OUTBOX], 'readwrite', tx => request(tx.objectStore(OUTBOX).put({ id: body.id, body, saved_at: Date.now(), owner })));
}

// waiting lists this user's records still to send, oldest first.
export function waiting() { return owned(OUTBOX, owner); }

// refused lists this user's records the server refused.
export function refused() { return owned(REFUSED, owner); }

// held counts the records other users made on this device: they wait
// until their owner signs in here again.
export async function held() {
  const [all, mine] = await run([OUTBOX], 'readonly', tx => {
    const s = tx.objectStore(OUTBOX);
    return Promise.all([request(s.count()), request(s.index('owner').count(owner))]);
  });
  return all - mine;
}

// sentToday lists this user's records the server stored today, newest
// first, and forgets those of earlier days.
export async function sentToday() {
  const midnight = new Date().setHours(0, 0, 0, 0);
  const all = await run([SENT], 'readwrite', async tx => {
    const s = tx.objectStore(SENT);
    const list = await request(s.index('owner').getAll(owner));
    for (const i of list) if (!(Number(i?.sent_at) >= midnight)) s.delete(i.id);
    return list;
  });
  return all.filter(i => Number(i?.sent_at) >= midnight && i.body && typeof i.body === 'object').sort((a, b) => b.sent_at - a.sent_at);
}

// discard forgets a refused record of this user's.
export function discard(id) {
  return run([REFUSED], 'readwrite', async tx => {
    const s = tx.objectStore(REFUSED), item = await request(s.get(id));
    if (item?.owner === owner) s.delete(id);
  });
}

// correct puts a refused record back in the outbox as corrected. A record
// refused as a conflict has a version stored (under its id, or the
// version it edits): the correction is sent as a new version of the
// latest one, found when it is sent. Any other refused record was never
// stored, and goes again under its own id.
export function correct(id, body) {
  return run([REFUSED, OUTBOX], 'readwrite', async tx => {
    const item = await request(tx.objectStore(REFUSED).get(id));
    if (item?.owner !== owner) throw new Error('no such refused record');
    tx.objectStore(OUTBOX).put({ id: body.id, body, saved_at: Date.now(), owner, rebase: item.status === 'conflict' });
    tx.objectStore(REFUSED).delete(id);
  });
}

// settle files a record by the server's answer for it.
function settle(item, result) {
  uncertain.delete(item.id);
  if (result?.status === 'created' || result?.status === 'replayed') {
    return run([OUTBOX, SENT], 'readwrite', tx => {
      tx.objectStore(OUTBOX).delete(item.id);
      tx.objectStore(SENT).put({ id: item.id, body: item.body, owner: item.owner, sent_at: Date.now() });
    }).then(() => 'sent');
  }
  // conflict or invalid: sending again as it is cannot help.
  return refuse(item, result?.status || 'invalid', result?.error);
}

function refuse(item, status, error) {
  const why = { code: String(error?.code || status), message: String(error?.message || ''), field: String(error?.field || '') };
  return run([OUTBOX, REFUSED], 'readwrite', tx => {
    tx.objectStore(REFUSED).put({ ...item, status, error: why, refused_at: Date.now() });
    tx.objectStore(OUTBOX).delete(item.id);
  }).then(() => 'refused');
}

let csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
let ended = false;

// sessionEnded reports whether the server last said that this device's
// session has ended: what waits is then sent after signing in again, not
// when the network comes back.
export function sessionEnded() { return ended; }

// AuthError is a send stopped by a session that has ended.
export class AuthError extends Error {
  constructor(n) {
    super(n === 0 ? 'Your session has ended: sign in again. What you record is kept on this phone until then.'
      : `Your session has ended: sign in again to send ${n} record${n === 1 ? '' : 's'}. ${n === 1 ? 'It is' : 'They are'} kept on this phone.`);
  }
}

async function endedError() {
  ended = true;
  return new AuthError((await waiting()).length);
}

// session asks who is signed in, and refreshes the CSRF token: the page
// may come from the offline cache, older than the session.
async function session() {
  const res = await fetch('/api/v1/session', { credentials: 'same-origin' });
  if (res.status === 401) throw await endedError();
  if (!res.ok) throw new Error('the server answered ' + res.status);
  const info = await res.json();
  // A one-time password must be changed first: the sign-in page leads there.
  if (info.must_change_password) throw await endedError();
  ended = false;
  csrf = info.csrf_token || csrf;
  return typeof info.name === 'string' ? info.name : '';
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

// flush sends what waits of the signed-in user's, in batches, oldest
// first; one run at a time. It resolves to counts, and rejects when the
// network or the session fails (what waits stays).
export function flush() {
  if (!running) running = exclusive(send).finally(() => { running = null; });
  return running;
}

// withdraw takes a record of this user's back that has not been sent:
// the form's Undo. It resolves to 'waiting' or 'refused' (where it was,
// now removed), or to null when it was sent already, or may have been (a
// void must then take it back).
export function withdraw(id) {
  return exclusive(async () => {
    if (uncertain.has(id)) return null;
    for (const [store, where] of [[OUTBOX, 'waiting'], [REFUSED, 'refused']]) {
      const found = await run([store], 'readwrite', async tx => {
        const s = tx.objectStore(store), item = await request(s.get(id));
        if (item?.owner !== owner) return false;
        s.delete(id);
        return true;
      });
      if (found) return where;
    }
    return null;
  });
}

// A record above MAX_RECORD is kept from the server: none the server takes
// comes near it (notes are 4,000 characters at most). A batch is at most
// 200 records and MAX_BATCH, far under the server's limits.
const MAX_RECORD = 256 << 10, MAX_BATCH = 1 << 20;

async function send() {
  const counts = { sent: 0, refused: 0 };
  if (await run([OUTBOX], 'readonly', tx => request(tx.objectStore(OUTBOX).count())) === 0) return counts;
  const who = await session();
  let batch = [], size = 0;
  for (let item of await owned(OUTBOX, who)) {
    if (item.rebase && !(item = await rebase(item, counts))) continue;
    let json;
    try { json = JSON.stringify(item.body); } catch { json = undefined; }
    if (json === undefined || json.length > MAX_RECORD) {
      counts[await refuse(item, 'refused', json === undefined ? { code: 'invalid', message: 'this record cannot be read; discard it' }
        : { code: 'too_large', message: 'this record is too large to send' })]++;
      continue;
    }
    if (batch.length === 200 || size + json.length > MAX_BATCH) {
      await deliver(batch, counts);
      batch = [];
      size = 0;
    }
    batch.push({ item, json });
    size += json.length;
  }
  if (batch.length > 0) await deliver(batch, counts);
  return counts;
}

// rebase makes a correction of a stored record the next version of its
// latest one, and keeps it so before sending: a resend after a lost
// answer is then a replay of this version, not one more.
async function rebase(item, counts) {
  const of = item.body.replaces || item.body.id;
  const res = await fetch(`/api/v1/inspections/${encodeURIComponent(of)}/history`, { credentials: 'same-origin' });
  if (res.status === 401) throw await endedError();
  if (res.status >= 400 && res.status < 500) {
    counts[await refuse(item, 'refused', (await errorOf(res)))]++;
    return null;
  }
  if (!res.ok) throw new Error('the server answered ' + res.status);
  const versions = (await res.json()).items;
  const body = { ...item.body, id: uuid(), replaces: versions[versions.length - 1].id,
    reason: item.body.reason || 'Corrected on the phone after headquarters refused it.' };
  const next = { ...item, id: body.id, body, rebase: false };
  await run([OUTBOX], 'readwrite', tx => { tx.objectStore(OUTBOX).delete(item.id); tx.objectStore(OUTBOX).put(next); });
  return next;
}

async function errorOf(res) {
  try { return (await res.json()).error; } catch { return { code: String(res.status), message: 'the server answered ' + res.status }; }
}

// deliver sends one batch of records with their JSON, and files each
// record by the answer.
async function deliver(batch, counts) {
  let res = await post(batch);
  if (res.status === 403) { await session(); res = await post(batch); }
  if (res.status === 401) throw await endedError();
  if (res.ok) {
    const { results } = await res.json();
    for (let i = 0; i < batch.length; i++) counts[await settle(batch[i].item, results[i])]++;
    localStorage.setItem('outbound.lastSync', new Date().toISOString());
    return;
  }
  if (![400, 403, 413].includes(res.status)) throw new Error('the server answered ' + res.status);
  // The server refused the batch whole for one record in it (one it
  // forbids, such as a crossing no longer the officer's, or one it cannot
  // read): halve the batch until that record stands alone, and set it
  // apart with the reason.
  if (batch.length === 1) {
    counts[await refuse(batch[0].item, 'refused', await errorOf(res))]++;
    return;
  }
  const half = Math.ceil(batch.length / 2);
  await deliver(batch.slice(0, half), counts);
  await deliver(batch.slice(half), counts);
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
      body: '[' + batch.map(b => b.json).join(',') + ']',
    });
  } catch (e) {
    for (const b of batch) uncertain.add(b.item.id);
    throw e;
  }
}
