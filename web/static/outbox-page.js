// The outbox page (like ODK Collect's "Ready to send" and "Sent"): the
// officer's records on this phone, not accepted, waiting and sent today,
// and the form to correct a refused one and send it again. Whatever the
// browser's storage holds is drawn as text, at most SHOWN rows a list, so
// that a huge or hostile outbox cannot break the page.
import { waiting, refused, sentToday, discard, correct, flush, uuid, AuthError } from './outbox.js';
import { showAlerts, records } from './outbox-view.js';
import { badgeRules, parseBadges } from './badges.js';
import { loadRules, problem } from './rules.js';

const $ = id => document.getElementById(id);
const SHOWN = 100;
const form = $('correct');
const WORDS = (() => { try { return JSON.parse($('outbox').dataset.words); } catch { return {}; } })();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// text is anything a stored record holds, as text of bounded length.
function text(v, max = 200) {
  const s = v === undefined || v === null ? '' : String(v);
  return s.length > max ? s.slice(0, max) + '…' : s;
}

// word names an API value as the form does: no_finding is "No finding".
function word(v) {
  const s = text(v, 60);
  return Object.hasOwn(WORDS, s) ? WORDS[s] : s.replace(/_/g, ' ');
}

function lower(s) { return /^[A-Z][A-Z0-9]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1); }

// clock is a time as the Record bar shows it (15:40), whatever the
// phone's locale.
const pad = n => String(n).padStart(2, '0');
function clock(t) {
  const d = new Date(t);
  return isNaN(d) ? '' : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// stamp is a day and time in the same one format (2026-12-03 17:23).
function stamp(t) {
  const d = new Date(t);
  return isNaN(d) ? t : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(d)}`;
}

// summary says what a record is, in one line.
function summary(b) {
  const list = (v, n, f) => Array.isArray(v) ? v.slice(0, n).map(f).join(', ') : '';
  return [clock(b.started_at), word(b.modality), list(b.techniques, 6, word), word(b.outcome), list(b.officers, 4, o => text(o, 20)),
    b.voided === true ? 'void' : b.replaces ? 'correction' : ''].filter(Boolean).join(' · ') || 'A record that cannot be read';
}

// plain says why the server refused a record, in the form's words rather
// than the API's.
function plain(error, status) {
  const e = error && typeof error === 'object' ? error : { message: error }; // an earlier version kept only the message
  const code = text(e.code, 40), field = text(e.field, 80);
  let msg;
  if (status === 'conflict' || code === 'conflict') {
    msg = field === 'replaces'
      ? 'Someone changed this record after this change was made. Check it and send it again: it then changes the latest version.'
      : "Another record is stored under this one's number. Check it and send it again: it then corrects the stored record.";
  } else if (code === 'too_large') {
    msg = 'This record is too large to send: shorten its notes.';
  } else {
    msg = text(e.message, 300)
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)/g, stamp)
      .replace(/\b\d+(\.\d+)?e\+\d+\b/g, n => Number(n).toLocaleString())
      .replace(/\b[a-z][a-z0-9]*(_[a-z0-9]+)*\b/g, w => Object.hasOwn(WORDS, w) || w.includes('_') ? lower(word(w)) : w);
    if (code === 'forbidden') msg = 'your account may not send this record: ' + msg;
  }
  const at = /^(?:\[\d+\]\.)?(seizures|officers|techniques)\[(\d+)\]/.exec(field);
  if (at) msg = `${{ seizures: 'Seizure', officers: 'Badge', techniques: 'Technique' }[at[1]]} ${Number(at[2]) + 1}: ${msg}`;
  msg = msg.charAt(0).toUpperCase() + msg.slice(1);
  return msg === '' ? 'Refused.' : /[.!?]$/.test(msg) ? msg : msg + '.';
}

function el(tag, className, content) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (content !== undefined) e.textContent = content;
  return e;
}

function button(label, className, onClick) {
  const b = el('button', className, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function fill(ul, list, make) {
  const rows = list.slice(0, SHOWN).map(make);
  if (list.length > SHOWN) rows.push(el('li', 'muted', `And ${list.length - SHOWN} more.`));
  if (list.length === 0) rows.push(el('li', 'muted', 'None.'));
  ul.replaceChildren(...rows);
}

function refusedRow(item) {
  const li = el('li');
  li.append(el('span', 'what', summary(item.body)), el('p', 'error', plain(item.error, item.status)));
  const actions = el('p', 'actions');
  const drop = button('Discard', 'btn secondary', async () => {
    // A discarded record is gone for good: the first tap only asks.
    if (drop.dataset.sure !== '1') {
      drop.dataset.sure = '1';
      drop.textContent = 'Tap again to discard';
      return;
    }
    await discard(item.id);
    if (editing?.id === item.id) close();
    show();
  });
  actions.append(button('Correct', 'btn', () => open(item)), ' ', drop);
  li.append(actions);
  return li;
}

async function show() {
  const [w, r, s] = await Promise.all([waiting(), refused(), sentToday()]);
  $('n-waiting').textContent = w.length;
  $('n-sent').textContent = s.length;
  $('n-refused').textContent = r.length;
  fill($('refused'), r, refusedRow);
  fill($('waiting'), w, item => el('li', null, summary(item.body)));
  fill($('sent'), s, item => el('li', null, `${summary(item.body)} · sent ${clock(item.sent_at)}`));
  await showAlerts($('outbox-alerts'));
}

function say(message, bad) {
  const t = $('outbox-toast');
  t.textContent = message;
  t.className = bad ? 'toast bad' : 'toast';
  t.hidden = false;
}

// sendNow sends what waits; quiet, it says only what went wrong.
async function sendNow(quiet) {
  try {
    const c = await flush();
    if (c.refused > 0) say(`${records(c.refused)} not accepted: see why under "Not accepted".`, true);
    else if (c.sent > 0) say(`${records(c.sent)} sent.`);
    else if (!quiet) say('Nothing waits to be sent.');
  } catch (e) {
    say(e instanceof AuthError ? e.message : 'No network: what waits is sent when it is back.', true);
  } finally {
    await show();
  }
}

// The form to correct a refused record.

let editing = null;

// choose sets a select to a stored value, adding it when it is not one of
// the choices, so that the officer sees what was sent.
function choose(select, value) {
  const v = text(value, 60);
  for (const o of select.querySelectorAll('option[data-kept]')) o.remove();
  if (![...select.options].some(o => o.value === v)) {
    const o = new Option(v ? `${word(v)} (not a choice)` : '(none)', v);
    o.dataset.kept = '1';
    select.add(o);
  }
  select.value = v;
}

function labelled(words, control) {
  const d = el('div'), l = el('label', null, words + ' ');
  l.append(control);
  d.append(l);
  return d;
}

function field(name, type, value) {
  const i = el('input');
  i.type = type;
  i.dataset.f = name;
  i.value = text(value, 40);
  if (type === 'number') { i.step = 'any'; i.min = '0'; i.inputMode = 'decimal'; }
  return i;
}

function seizureRow(z) {
  const s = z && typeof z === 'object' ? z : {};
  const row = el('div', 'seizure'), grid = el('div', 'row2');
  const cat = $('c-category').content.firstElementChild.cloneNode(true);
  choose(cat, s.category ?? 'currency');
  grid.append(labelled('Category', cat), labelled('Unit', field('unit', 'text', s.unit ?? 'USD')),
    labelled('Quantity', field('quantity', 'number', s.quantity)), labelled('Value (USD)', field('value_usd', 'number', s.value_usd)));
  row.append(grid, button('Remove this seizure', 'btn secondary', () => { row.remove(); $('c-add-seizure').focus(); }));
  return row;
}

function localInput(d) {
  return stamp(d).replace(' ', 'T');
}

// control is the form's control for a field the server named.
function control(name) {
  const f = text(name, 80).replace(/^\[\d+\]\./, '');
  const z = /^seizures\[(\d+)\]\.([a-z_]+)$/.exec(f);
  if (z) return $('c-seizures').children[Number(z[1])]?.querySelector(`[data-f="${z[2]}"]`) || $('c-add-seizure');
  if (f.startsWith('techniques')) return $('c-techniques').querySelector('input');
  const id = { crossing: 'c-crossing', started_at: 'c-started', ended_at: 'c-minutes', modality: 'c-modality', trigger: 'c-trigger',
    operation_id: 'c-operation', officers: 'c-officers', outcome: 'c-outcome', seizures: 'c-add-seizure', notes: 'c-notes' }[f.replace(/\[.*$/, '')];
  return id ? $(id) : null;
}

// mark puts the message at the control at fault, and the focus on it.
function mark(message, at) {
  const why = $('c-why');
  for (const e of form.querySelectorAll('[aria-describedby="c-why"]')) e.removeAttribute('aria-describedby');
  why.textContent = message;
  const target = at || $('c-crossing');
  (target.closest('fieldset, .seizure, .row2') || target).after(why);
  target.setAttribute('aria-describedby', 'c-why');
  target.focus();
}

function open(item) {
  editing = item;
  const b = item.body;
  choose($('c-crossing'), b.crossing);
  const start = new Date(b.started_at), end = new Date(b.ended_at);
  $('c-started').value = isNaN(start) ? '' : localInput(start);
  $('c-minutes').value = isNaN(start) || isNaN(end) ? 10 : Math.min(1440, Math.max(1, Math.round((end - start) / 60000)));
  choose($('c-modality'), b.modality);
  for (const c of $('c-techniques').querySelectorAll('input')) c.checked = Array.isArray(b.techniques) && b.techniques.includes(c.value);
  choose($('c-trigger'), b.trigger);
  $('c-officers').value = Array.isArray(b.officers) ? b.officers.slice(0, 50).map(o => text(o, 40)).join(', ') : '';
  choose($('c-outcome'), b.outcome);
  $('c-seizures').replaceChildren(...(Array.isArray(b.seizures) ? b.seizures.slice(0, 50) : []).map(seizureRow));
  $('c-operation').value = text(b.operation_id, 100);
  $('c-notes').value = text(b.notes, 4000);
  form.hidden = false;
  mark(plain(item.error, item.status), control(item.error?.field));
}

function close() {
  editing = null;
  form.hidden = true;
}

// edited is the corrected record as the API takes it, or what to fix.
function edited(R) {
  const b = editing.body;
  const start = new Date($('c-started').value), minutes = Number($('c-minutes').value);
  if (isNaN(start)) return { error: 'Enter when the inspection started.', at: $('c-started') };
  if (!(minutes >= 1 && minutes <= 1440)) return { error: 'Enter how many minutes it took: 1 to 1440.', at: $('c-minutes') };
  const body = {
    id: UUID.test(b.id) ? b.id : uuid(), crossing: $('c-crossing').value,
    started_at: start.toISOString(), ended_at: new Date(start.getTime() + minutes * 60000).toISOString(),
    modality: $('c-modality').value, techniques: [...$('c-techniques').querySelectorAll('input:checked')].map(i => i.value),
    trigger: $('c-trigger').value, operation_id: $('c-operation').value.trim() || null,
    officers: parseBadges($('c-officers').value, badgeRules(R)), outcome: $('c-outcome').value,
    seizures: [...$('c-seizures').children].map(row => {
      const f = k => row.querySelector(`[data-f=${k}]`).value;
      return { category: f('category'), quantity: Number(f('quantity')), unit: f('unit'), value_usd: Number(f('value_usd')) };
    }),
    notes: $('c-notes').value,
  };
  // An officer whose account has a badge records only inspections that
  // list it (Inspection.CheckRecorder); an edit or a void is a supervisor's.
  const own = form.dataset.badge;
  if (own && typeof b.replaces !== 'string' && !body.officers.includes(own)) {
    return { error: `Keep your own badge, ${own}, among the officers: you record the inspections you take part in.`, at: $('c-officers') };
  }
  // An edit or a void that was refused stays one, for the same reason.
  if (typeof b.replaces === 'string') {
    body.replaces = b.replaces;
    body.reason = text(b.reason, 500) || 'Corrected on the phone after headquarters refused it.';
    if (b.voided === true) body.voided = true;
  }
  return { body };
}

form.addEventListener('submit', async ev => {
  ev.preventDefault();
  let R;
  try {
    R = await loadRules();
  } catch (err) {
    mark(`Not sent: ${err.message}. Try again.`, $('c-send'));
    return;
  }
  const e = edited(R);
  if (e.error) {
    mark(e.error, e.at);
    return;
  }
  // The server's rules, on the phone (the record form's table): what it
  // would refuse is said here, at its field, not after another wait.
  const bad = problem(e.body, R);
  if (bad) {
    mark(bad.message, control(bad.field));
    return;
  }
  await correct(editing.id, e.body);
  close();
  say('Corrected: sending…');
  await show();
  await sendNow(true);
  $('send-now').focus();
});
$('c-cancel').addEventListener('click', close);
$('c-add-seizure').addEventListener('click', () => {
  $('c-seizures').append(seizureRow());
  $('c-seizures').lastElementChild.querySelector('select').focus();
});
$('send-now').addEventListener('click', () => sendNow(false));
window.addEventListener('online', () => sendNow(true));

show().then(() => sendNow(true));
