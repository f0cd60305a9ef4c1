// The officer's form: records an inspection into the outbox on this
// device first, then sends what waits whenever the network allows.
//
// One inspection on the form has one id, made when the form is fresh and
// made again only when the form is cleared for the next vehicle: a second
// submit of the same form is a replay, never a second record. Record sits
// in a bar fixed at the bottom of the screen, which confirms in place and
// offers Undo for a few seconds.
import { keep, waiting, flush, withdraw, AuthError, owner, uuid } from './outbox.js';
import { showAlerts } from './outbox-view.js';
import { badgeRules, parseBadges } from './badges.js';
import { loadRules, problem } from './rules.js';

const form = document.getElementById('inspection');
const $ = id => document.getElementById(id);
// The choices are remembered per user: the next officer on this phone
// does not get the last one's badges. Before, they were the phone's.
const REMEMBER = 'outbound.form.' + owner;
localStorage.removeItem('outbound.form');
const TODAY = 'outbound.today';
// How long Undo is offered after a record is saved.
const UNDO_MS = 8000;
// A second tap this soon after the first is the same tap: the form stays
// closed that long, even when saving took less.
const HOLD_MS = 1000;
const OWN = form.dataset.badge || '';
// The rule table, fetched once it is first needed (and again after a failure).
const rules = () => loadRules();

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => { /* the form still works online */ });
}

// fresh gives the form the id of the next inspection.
function fresh() { form.dataset.inspectionId = uuid(); }

function checked(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(i => i.value);
}

function setChecked(name, values) {
  if (!values) return;
  for (const i of form.querySelectorAll(`input[name="${name}"]`)) i.checked = values.includes(i.value);
}

function check(id) { const i = $(id); if (i) i.checked = true; }

const pad = n => String(n).padStart(2, '0');

// when is a time as the Record bar writes it (17:28), with its day
// (2026-11-30 17:28) when that is not today.
function when(d) {
  const t = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === new Date().toDateString() ? t : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${t}`;
}
const localDay = d => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

// Operations: each is offered at its crossing, until its last day.
function operationRadios() { return [...form.querySelectorAll('input[name=operation]:not([value=""])')]; }

function offerOperations() {
  const box = $('operation-box');
  if (!box) return;
  const today = localDay(new Date());
  let any = false;
  for (const r of operationRadios()) {
    const on = r.dataset.crossing === $('crossing').value && r.dataset.to >= today;
    r.hidden = r.labels[0].hidden = !on;
    if (!on && r.checked) check('op-none');
    any = any || on;
  }
  box.hidden = !any;
  if (!any) check('op-none');
}

// What the officer chose last time is the next form's default: a routine
// inspection is then one tap.
function restore() {
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(REMEMBER) || '{}'); } catch { saved = {}; }
  if (saved.crossing && [...$('crossing').options].some(o => o.value === saved.crossing)) $('crossing').value = saved.crossing;
  for (const name of ['modality', 'techniques', 'trigger', 'minutes']) setChecked(name, saved[name]);
  if (saved.officers) $('officers').value = saved.officers;
  offerOperations();
  const op = operationRadios().find(r => r.value === saved.operation && !r.hidden);
  if (op) op.checked = true;
}

function remember() {
  localStorage.setItem(REMEMBER, JSON.stringify({
    crossing: $('crossing').value, modality: checked('modality'), techniques: checked('techniques'),
    trigger: checked('trigger'), minutes: checked('minutes'), officers: $('officers').value,
    operation: checked('operation')[0] || '',
  }));
}

const UNITS = { currency: 'USD', firearms: 'each', ammunition: 'rounds', explosives: 'kg', narcotics: 'kg', other: 'each' };

// A currency seizure is one amount, in dollars: its quantity and its value
// are the same number, so the form asks for it once.
function fitCategory(row) {
  const currency = row.querySelector('[data-f=category]').value === 'currency';
  for (const el of row.querySelectorAll('[data-for=goods]')) el.hidden = currency;
  row.querySelector('[data-label=value]').textContent = currency ? 'Amount (USD)' : 'Value (USD, an estimate will do)';
}

function addSeizure(seizure) {
  const row = $('seizure-row').content.firstElementChild.cloneNode(true);
  row.setAttribute('aria-label', 'Seizure ' + ($('seizures').children.length + 1));
  const cat = row.querySelector('[data-f=category]');
  cat.addEventListener('change', () => { row.querySelector('[data-f=unit]').value = UNITS[cat.value] || 'each'; fitCategory(row); });
  row.querySelector('[data-remove]').addEventListener('click', () => {
    row.remove();
    // No seizure left: the outcome is no longer one.
    if ($('seizures').children.length === 0 && checked('outcome')[0] === 'seizure') check('o-no_finding');
    $('add-seizure').focus();
    summarize();
  });
  if (seizure) {
    cat.value = seizure.category;
    for (const k of ['unit', 'quantity', 'value_usd']) row.querySelector(`[data-f=${k}]`).value = seizure[k];
  }
  fitCategory(row);
  $('seizures').append(row);
  // A seizure is the outcome seizure, unless the officer chose an arrest
  // or a referral, which may list seizures too.
  if (checked('outcome')[0] === 'no_finding') check('o-seizure');
  return row;
}

function seizureOf(row) {
  const f = k => row.querySelector(`[data-f=${k}]`).value;
  const number = k => (f(k).trim() === '' ? NaN : Number(f(k)));
  if (f('category') === 'currency') return { category: 'currency', quantity: number('value_usd'), unit: 'USD', value_usd: number('value_usd') };
  return { category: f('category'), quantity: number('quantity'), unit: f('unit'), value_usd: number('value_usd') };
}

// officers lists the badges the record names: the officer's own, from the
// account, then those typed.
function officers(R) {
  const typed = parseBadges($('officers').value, badgeRules(R));
  return OWN ? [OWN, ...typed.filter(b => b !== OWN)] : typed;
}

// build turns the form into an inspection as the API takes it.
function build(R) {
  const minutes = Number(checked('minutes')[0] || 10);
  const start = $('started').value ? new Date($('started').value) : new Date(Date.now() - minutes * 60000);
  const valid = !Number.isNaN(start.getTime());
  return {
    id: form.dataset.inspectionId, crossing: $('crossing').value,
    started_at: valid ? start.toISOString() : '', ended_at: valid ? new Date(start.getTime() + minutes * 60000).toISOString() : '',
    modality: checked('modality')[0], techniques: checked('techniques'), trigger: checked('trigger')[0],
    operation_id: checked('operation')[0] || null, officers: officers(R), outcome: checked('outcome')[0],
    seizures: [...$('seizures').children].map(seizureOf), notes: $('notes').value,
  };
}

// fieldOf finds where on the form the field the rules name is.
function fieldOf(field) {
  const seizure = field.match(/^seizures\[(\d+)\]\.(\w+)/);
  if (seizure) {
    const row = $('seizures').children[Number(seizure[1])];
    const input = row && row.querySelector(`[data-f=${seizure[2]}]`);
    return input && !input.closest('[hidden]') ? input : row && row.querySelector('[data-f=value_usd]');
  }
  const name = field.replace(/\[.*$/, '');
  switch (name) {
    case 'started_at': case 'ended_at': $('more').open = true; return $('started');
    case 'notes': $('more').open = true; return $('notes');
    case 'officers': return $('officers');
    case 'seizures': return $('seizures').querySelector('[data-f=category]') || $('add-seizure');
    case 'operation_id': return $('op-none');
    case 'modality': case 'techniques': case 'trigger': case 'outcome':
      return form.querySelector(`input[name=${name}]:checked`) || form.querySelector(`input[name=${name}]`);
  }
  return $(name) || $('record');
}

// forCurrency words a refused quantity or value of a currency seizure as
// the form asks for it: one amount.
function forCurrency(p, body, R) {
  const m = p.field.match(/^seizures\[(\d+)\]\.(quantity|value_usd)$/);
  if (!m || body.seizures[Number(m[1])].category !== 'currency') return p;
  const max = Math.min(R.max_seizure_quantity, R.max_seizure_value_usd).toLocaleString('en-US');
  return { field: `seizures[${m[1]}].value_usd`, message: `Seizure ${Number(m[1]) + 1} needs an amount in USD above 0 and at most ${max}.` };
}

let shown = null; // the field marked as refused, until it changes

function refuse(p) {
  say(p.message, true);
  const el = fieldOf(p.field);
  if (shown) shown.removeAttribute('aria-invalid');
  shown = el;
  el.setAttribute('aria-invalid', 'true');
  el.focus();
}

function say(text, bad) {
  const t = $('toast');
  t.textContent = text;
  t.className = bad ? 'toast bad' : 'toast';
  t.hidden = false;
}

// Today's count is of the records this officer saved on this device
// today, less those undone: it works with no network.
function today() {
  let t = {};
  try { t = JSON.parse(localStorage.getItem(TODAY) || '{}'); } catch { t = {}; }
  return t.day === localDay(new Date()) && t.user === form.dataset.user ? t : { day: localDay(new Date()), user: form.dataset.user, ids: [] };
}

function count(id, add) {
  const t = today();
  t.ids = add ? [...t.ids, id] : t.ids.filter(x => x !== id);
  localStorage.setItem(TODAY, JSON.stringify(t));
}

let last = null; // {body, at}: the record Undo takes back
let undoTimer = 0;

// confirmSaved says, in the bar, when the last record was saved, how many
// today, and how many wait to be sent.
async function confirmSaved() {
  if (!last) return;
  const n = (await waiting()).length;
  say(`Saved ${when(last.at)} · ${today().ids.length} today · ${n === 0 ? 'all sent' : n + ' waiting'}`);
}

function offerUndo(on) {
  clearTimeout(undoTimer);
  $('undo').hidden = !on;
  if (on) undoTimer = setTimeout(() => { if (document.activeElement === $('undo')) $('record').focus(); $('undo').hidden = true; }, UNDO_MS);
}

// undo takes the last record back: out of the outbox if it is still
// waiting, else by a void the server accepts from its officer, and puts
// its choices back on the form.
async function undo() {
  const item = last;
  if (!item) return;
  offerUndo(false);
  last = null;
  const where = await withdraw(item.body.id);
  if (!where && !('undoSent' in form.dataset)) {
    say('This record has reached the server, or may have: ask a supervisor to void it.', true);
    return;
  }
  if (!where) {
    const R = await rules();
    await keep({ ...item.body, id: uuid(), replaces: item.body.id, reason: R.undo_reason, voided: true });
  }
  count(item.body.id, false);
  refill(item.body);
  const how = { waiting: 'removed before it was sent', refused: 'removed (it was not accepted)' }[where] || `voided (${(await rules()).undo_reason})`;
  say(`Undone: ${how} · ${today().ids.length} today`);
  $('record').focus();
  if (where) show();
  else send();
}

// refill puts an undone record's choices back on the form, to correct it.
function refill(body) {
  for (const [name, v] of [['modality', [body.modality]], ['techniques', body.techniques], ['trigger', [body.trigger]], ['outcome', [body.outcome]]]) setChecked(name, v);
  const minutes = String(Math.round((Date.parse(body.ended_at) - Date.parse(body.started_at)) / 60000));
  if (form.querySelector(`input[name=minutes][value="${minutes}"]`)) setChecked('minutes', [minutes]);
  $('officers').value = body.officers.filter(b => b !== OWN).join(', ');
  if (body.operation_id) check('op-' + body.operation_id);
  $('notes').value = body.notes;
  $('seizures').replaceChildren();
  const outcome = checked('outcome')[0];
  for (const s of body.seizures) addSeizure(s);
  setChecked('outcome', [outcome]);
  summarize();
}

// clear readies the form for the next vehicle: what is particular to one
// inspection goes, the choices carried over stay, and it gets a new id.
function clear() {
  $('seizures').replaceChildren();
  $('notes').value = '';
  $('started').value = '';
  check('o-no_finding');
  fresh();
  summarize();
}

// The summary line says what Record will record, each part a button to
// the field it comes from.
function part(text, name, target) {
  const b = document.createElement('button');
  b.type = 'button'; b.className = 'part'; b.textContent = text;
  b.setAttribute('aria-label', `${name}: ${text}. Change`);
  b.addEventListener('click', () => jump(target()));
  return b;
}

function jump(el) {
  if (!el) return;
  const box = el.closest('fieldset') || el;
  box.scrollIntoView({ block: 'center' });
  el.focus({ preventScroll: true });
  box.classList.remove('flash');
  void box.offsetWidth; // restart the highlight
  box.classList.add('flash');
}

const labelOf = input => (input && input.labels[0] ? input.labels[0].textContent.trim() : '');
const first = name => form.querySelector(`input[name=${name}]:checked`) || form.querySelector(`input[name=${name}]`);

async function summarize() {
  const R = await rules().catch(() => null);
  if (!R) return; // Record says why, when tapped
  const parts = [];
  if ($('crossing').options.length > 1) parts.push(part($('crossing').value, 'Crossing', () => $('crossing')));
  const op = form.querySelector('input[name=operation]:checked:not([value=""])');
  if (op) parts.push(part(labelOf(op), 'Operation', () => op));
  parts.push(part(labelOf(first('modality')), 'Modality', () => first('modality')));
  const techniques = [...form.querySelectorAll('input[name=techniques]:checked')].map(labelOf);
  parts.push(part(techniques.join(' + ') || 'no technique', 'Techniques', () => first('techniques')));
  parts.push(part(labelOf(first('trigger')), 'Why', () => first('trigger')));
  parts.push(part(labelOf(first('minutes')), 'How long', () => first('minutes')));
  const badges = officers(R);
  parts.push(part(badges.join(' + ') || 'no officer', 'Officers', () => $('officers')));
  const outcome = first('outcome');
  if (outcome.value !== 'no_finding') {
    const n = $('seizures').children.length;
    parts.push(part(labelOf(outcome) + (n > 0 ? ` (${n} seized)` : ''), 'Outcome', () => first('outcome')));
  }
  const out = [];
  parts.forEach((p, i) => {
    if (i > 0) { const dot = document.createElement('span'); dot.textContent = ' · '; dot.setAttribute('aria-hidden', 'true'); out.push(dot); }
    out.push(p);
  });
  $('summary').replaceChildren(...out);
}

async function show() {
  const n = (await waiting()).length;
  $('waiting').textContent = String(n);
  const lastSync = localStorage.getItem('outbound.lastSync');
  $('lastsync').textContent = lastSync ? when(new Date(lastSync)) : 'never';
  $('net').textContent = navigator.onLine ? 'Online' : 'Offline';
  $('net').className = navigator.onLine ? 'online' : 'offline';
  await showAlerts($('outbox-alerts'));
}

// send tries to deliver what waits; failures leave it waiting.
async function send() {
  try {
    const c = await flush();
    await confirmSaved();
    if (c.refused > 0) say(`${c.refused} not accepted: correct or discard in the outbox.`, true);
    return c;
  } catch (e) {
    if (e instanceof AuthError) say(e.message, true);
    return null;
  } finally {
    await show();
  }
}

let saving = false;

form.addEventListener('submit', async ev => {
  ev.preventDefault();
  // A second tap, or a second submit by script, while this one saves is
  // the same tap.
  if (saving) return;
  saving = true;
  const button = $('record');
  button.disabled = true;
  const opened = Date.now();
  let saved = false;
  try {
    const R = await rules();
    const body = build(R);
    const bad = problem(body, R);
    if (bad) { refuse(forCurrency(bad, body, R)); return; }
    await keep(body);
    saved = true;
    remember();
    count(body.id, true);
    last = { body, at: new Date() };
    clear();
    await confirmSaved();
    offerUndo(true);
    show();
    send();
  } catch (e) {
    say(`Not saved: this device could not keep the record (${e.message}). Try again.`, true);
  } finally {
    const reopen = () => {
      saving = false;
      button.disabled = false;
      // Disabling the button took the focus from it: give it back.
      if (saved && (document.activeElement === document.body || document.activeElement === null)) button.focus();
    };
    if (saved) setTimeout(reopen, Math.max(0, HOLD_MS - (Date.now() - opened)));
    else reopen();
  }
});

$('add-seizure').addEventListener('click', () => { addSeizure().querySelector('[data-f=category]').focus(); summarize(); });
$('undo').addEventListener('click', undo);
$('crossing').addEventListener('change', offerOperations);
for (const r of form.querySelectorAll('input[name=outcome]')) {
  r.addEventListener('change', () => {
    if (r.checked && r.value === 'seizure' && $('seizures').children.length === 0) addSeizure().querySelector('[data-f=category]').focus();
  });
}
for (const r of operationRadios()) {
  // An operation's inspections are its pulse and surge.
  r.addEventListener('change', () => { if (r.checked) check('g-pulse_surge'); summarize(); });
}
form.addEventListener('input', ev => {
  if (shown && (ev.target === shown || (shown.name && ev.target.name === shown.name))) { shown.removeAttribute('aria-invalid'); shown = null; }
  summarize();
});
form.addEventListener('change', () => summarize());
// The page's end stays above the bar fixed over it, and so does whatever
// is scrolled to or focused (by Tab, or a tap on the summary).
new ResizeObserver(() => {
  const h = $('recordbar').offsetHeight + 'px';
  document.body.style.paddingBottom = h;
  document.documentElement.style.scrollPaddingBottom = h;
}).observe($('recordbar'));
window.addEventListener('online', send);
window.addEventListener('offline', show);
setInterval(() => { if (navigator.onLine) send(); }, 20000);

fresh();
restore();
summarize();
show().then(send);
