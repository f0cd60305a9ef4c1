// The officer's form: records an inspection into the outbox on this
// device first, then sends what waits whenever the network allows.
import { keep, waiting, flush, AuthError, sessionEnded, owner, uuid } from './outbox.js';
import { showAlerts } from './outbox-view.js';
import { badgeRules, parseBadges, badgeProblem } from './badges.js';

const form = document.getElementById('inspection');
const $ = id => document.getElementById(id);
// The choices are remembered per user: the next officer on this phone
// does not get the last one's badges. Before, they were the phone's.
const REMEMBER = 'outbound.form.' + owner;
localStorage.removeItem('outbound.form');
const BADGES = badgeRules($('officers'));

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => { /* the form still works online */ });
}

function checked(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(i => i.value);
}

function setChecked(name, values) {
  if (!values) return;
  for (const i of form.querySelectorAll(`input[name="${name}"]`)) i.checked = values.includes(i.value);
}

// What the officer chose last time is the next form's default: a routine
// inspection is then one tap.
function restore() {
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(REMEMBER) || '{}'); } catch { saved = {}; }
  if (saved.crossing && [...$('crossing').options].some(o => o.value === saved.crossing)) $('crossing').value = saved.crossing;
  for (const name of ['modality', 'techniques', 'trigger', 'minutes']) setChecked(name, saved[name]);
  if (saved.officers) $('officers').value = saved.officers;
}

function remember() {
  localStorage.setItem(REMEMBER, JSON.stringify({
    crossing: $('crossing').value, modality: checked('modality'), techniques: checked('techniques'),
    trigger: checked('trigger'), minutes: checked('minutes'), officers: $('officers').value,
  }));
}

const UNITS = { currency: 'USD', firearms: 'each', ammunition: 'rounds', explosives: 'kg', narcotics: 'kg', other: 'each' };

function addSeizure() {
  const row = $('seizure-row').content.firstElementChild.cloneNode(true);
  const n = $('seizures').children.length + 1;
  row.setAttribute('aria-label', 'Seizure ' + n);
  const cat = row.querySelector('[data-f=category]');
  cat.addEventListener('change', () => { row.querySelector('[data-f=unit]').value = UNITS[cat.value] || 'each'; });
  row.querySelector('[data-remove]').addEventListener('click', () => { row.remove(); form.querySelector('#add-seizure').focus(); });
  $('seizures').append(row);
  cat.focus();
}

function say(text, bad) {
  const t = $('toast');
  t.textContent = text;
  t.className = bad ? 'toast bad' : 'toast';
  t.hidden = false;
}

// build turns the form into an inspection as the API takes it, or says
// what is missing and where.
function build() {
  const minutes = Number(checked('minutes')[0] || 10);
  let start = $('started').value ? new Date($('started').value) : new Date(Date.now() - minutes * 60000);
  const end = new Date(start.getTime() + minutes * 60000);
  const officers = parseBadges($('officers').value, BADGES);
  const techniques = checked('techniques');
  const outcome = checked('outcome')[0];
  const seizures = [...$('seizures').children].map(row => {
    const f = k => row.querySelector(`[data-f=${k}]`).value;
    return { category: f('category'), quantity: Number(f('quantity')), unit: f('unit'), value_usd: Number(f('value_usd') || 0) };
  });
  if (officers.length === 0) return { error: 'Name at least one officer (badge).', field: 'officers' };
  const maxOfficers = Number($('officers').dataset.maxOfficers);
  if (officers.length > maxOfficers) return { error: `Name at most ${maxOfficers} officers.`, field: 'officers' };
  const badge = badgeProblem(officers, BADGES);
  if (badge) return { error: badge, field: 'officers' };
  if (techniques.length === 0) return { error: 'Choose at least one technique.', field: 't-interview' };
  if (outcome === 'seizure' && seizures.length === 0) return { error: 'Add the seizure: category, quantity and value.', field: 'add-seizure' };
  if (seizures.some(s => !(s.quantity > 0))) return { error: 'Each seizure needs a quantity above 0.', field: 'seizures' };
  // The server refuses a seizure without a value: an offline record would wait only to be refused.
  if (seizures.some(s => !(s.value_usd > 0))) return { error: 'Each seizure needs a value in USD above 0 (an estimate will do).', field: 'seizures' };
  return {
    inspection: {
      id: uuid(), crossing: $('crossing').value, started_at: start.toISOString(), ended_at: end.toISOString(),
      modality: checked('modality')[0], techniques, trigger: checked('trigger')[0], operation_id: null,
      officers, outcome, seizures, notes: $('notes').value,
    },
  };
}

async function show() {
  const n = (await waiting()).length;
  $('waiting').textContent = String(n);
  const last = localStorage.getItem('outbound.lastSync');
  $('lastsync').textContent = last ? new Date(last).toLocaleString() : 'never';
  $('net').textContent = navigator.onLine ? 'Online' : 'Offline';
  $('net').className = navigator.onLine ? 'online' : 'offline';
  await showAlerts($('outbox-alerts'));
}

// send tries to deliver what waits; failures leave it waiting.
async function send() {
  try {
    const c = await flush();
    if (c.refused > 0) say(`${c.refused} not accepted: correct or discard in the outbox.`, true);
    return c;
  } catch (e) {
    if (e instanceof AuthError) say(e.message, true);
    return null;
  } finally {
    await show();
  }
}

form.addEventListener('submit', async ev => {
  ev.preventDefault();
  const b = build();
  if (b.error) {
    say(b.error, true);
    ($(b.field) || form).focus();
    return;
  }
  await keep(b.inspection);
  remember();
  $('seizures').replaceChildren();
  $('notes').value = '';
  $('started').value = '';
  form.querySelector('#o-no_finding').checked = true;
  say('Kept on this device. Sending…');
  await show();
  const c = await send();
  if (c && c.sent > 0) say('Recorded.');
  else if (!c && !sessionEnded()) say('Kept on this device; it will be sent when the network is back.');
  $('record').focus();
});

$('add-seizure').addEventListener('click', addSeizure);
for (const r of form.querySelectorAll('input[name=outcome]')) {
  r.addEventListener('change', () => { if (r.checked && r.value === 'seizure' && $('seizures').children.length === 0) addSeizure(); });
}
window.addEventListener('online', send);
window.addEventListener('offline', show);
setInterval(() => { if (navigator.onLine) send(); }, 20000);

restore();
show().then(send);
