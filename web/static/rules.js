// The server's rules for an inspection, checked on the phone before a
// record is kept: a record the server would refuse would otherwise wait
// offline only to be refused. The rules are not written here: they come
// from rules.json, which the server writes from the constants its own
// check (outbound Inspection.Validate) uses, and a browser test hands the
// same records to both and compares what each refuses, and where.

import { badgeRules, badgeProblem } from './badges.js';

let loaded = null;

// loadRules fetches the rule table once (the service worker keeps it for
// offline use); after a failure, the next call tries again.
export function loadRules() {
  if (!loaded) {
    loaded = fetch('/static/rules.json').then(res => {
      if (!res.ok) throw new Error('the rules could not be read: ' + res.status);
      return res.json();
    });
    loaded.catch(() => { loaded = null; });
  }
  return loaded;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const NIL = '00000000-0000-0000-0000-000000000000';
// What Go's unicode.IsControl and unicode.IsSpace mean, which the server
// applies to text; JavaScript's \s and trim() mean more (U+FEFF).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
const BLANK = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/u;
const HOUR = 3600 * 1000;

const fault = (field, message) => ({ field, message });
const number = n => n.toLocaleString('en-US');

// textProblem says what is wrong with free text, as the server's
// checkText judges it: characters (code points), not UTF-16 units.
function textProblem(field, what, s, max, lines) {
  const chars = [...(s || '')];
  if (chars.length > max) return fault(field, `${what} must be at most ${number(max)} characters; this is ${number(chars.length)}.`);
  const i = chars.findIndex(c => (lines ? CONTROL_BUT_LINES : CONTROL).test(c));
  if (i >= 0) {
    const code = 'U+' + chars[i].codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
    return fault(field, `${what}: remove the invisible control character (${code}) at character ${i + 1}.`);
  }
  return null;
}

function time(s) {
  const t = typeof s === 'string' && s !== '' ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? null : t;
}

// problem returns the first thing the server would refuse in an
// inspection as the API takes it, as {field, message}: field as the
// server names it ("seizures[0].value_usd"), message in plain words for
// the officer. It returns null when the server would take it. now is
// this device's clock (the server checks against its own).
export function problem(inspection, rules, now = new Date()) {
  const r = rules, x = inspection;
  const techniques = x.techniques || [], officers = x.officers || [], seizures = x.seizures || [];
  const started = time(x.started_at), ended = time(x.ended_at);
  const crossing = new RegExp(r.crossing_pattern);
  const badges = badgeRules(r);
  if (!x.id || !UUID.test(x.id) || x.id === NIL) return fault('id', 'This record has no id: reload the form.');
  if (!crossing.test(x.crossing || '')) return fault('crossing', 'Choose the crossing.');
  if (started === null) return fault('started_at', 'Give the start time.');
  if (new Date(started).getUTCFullYear() < r.earliest_year) return fault('started_at', `The start time is before ${r.earliest_year}: check it.`);
  if (started > now.getTime() + r.max_clock_ahead_hours * HOUR) return fault('started_at', 'The start time is more than a day ahead of now: check it, and this phone\'s clock.');
  if (ended === null) return fault('ended_at', 'Give the end time.');
  if (ended < started) return fault('ended_at', 'The inspection ends before it starts: check the times.');
  if (ended - started > r.max_length_hours * HOUR) return fault('ended_at', `An inspection lasts at most ${r.max_length_hours} hours: check the times.`);
  if (!r.modalities.includes(x.modality)) return fault('modality', 'Choose what was inspected (modality).');
  if (techniques.length === 0) return fault('techniques', 'Choose at least one technique.');
  if (techniques.length > r.techniques.length) return fault('techniques', 'Choose each technique at most once.');
  if (!r.triggers.includes(x.trigger)) return fault('trigger', 'Choose why this vehicle or person was inspected.');
  if (x.operation_id != null && !crossing.test(x.operation_id) && !UUID.test(x.operation_id)) {
    return fault('operation_id', 'This operation is not known here: choose it again.');
  }
  if (officers.length === 0) return fault('officers', 'Name at least one officer (badge).');
  if (officers.length > r.max_officers) return fault('officers', `Name at most ${r.max_officers} officers.`);
  if (!r.outcomes.includes(x.outcome)) return fault('outcome', 'Choose the outcome.');
  if (x.outcome === r.seizure_outcome && seizures.length === 0) return fault('seizures', 'Add the seizure: category, quantity and value.');
  if (x.outcome === r.no_finding_outcome && seizures.length > 0) {
    return fault('seizures', 'No finding cannot list seizures: remove them, or choose the outcome Seizure.');
  }
  if (seizures.length > r.max_seizures) return fault('seizures', `List at most ${r.max_seizures} seizures.`);
  const text = textProblem('notes', 'Notes', x.notes, r.max_notes, true) || textProblem('reason', 'The reason', x.reason, r.max_reason, true);
  if (text) return text;
  const reason = x.reason || '';
  if (x.replaces != null && BLANK.test(reason)) return fault('reason', 'An edit or a void needs a reason.');
  if (x.replaces == null && reason !== '') return fault('reason', 'A reason is only for an edit or a void.');
  if (x.voided && x.replaces == null) return fault('voided', 'A void names the record it voids.');
  if (x.replaces != null && x.replaces === x.id) return fault('replaces', 'A record cannot replace itself.');
  for (let i = 0; i < techniques.length; i++) {
    if (!r.techniques.includes(techniques[i])) return fault(`techniques[${i}]`, 'Choose the techniques from the list.');
    if (techniques.indexOf(techniques[i]) < i) return fault(`techniques[${i}]`, 'Choose each technique at most once.');
  }
  for (let i = 0; i < officers.length; i++) {
    const malformed = badgeProblem([officers[i]], badges);
    if (malformed) return fault(`officers[${i}]`, malformed);
    if (officers.indexOf(officers[i]) < i) return fault(`officers[${i}]`, `Badge "${officers[i]}" is listed twice.`);
  }
  for (let i = 0; i < seizures.length; i++) {
    const s = seizures[i], f = k => `seizures[${i}].${k}`, n = `Seizure ${i + 1}`;
    if (!r.categories.includes(s.category)) return fault(f('category'), `${n}: choose what was seized.`);
    if (!(s.quantity > 0) || s.quantity > r.max_seizure_quantity) {
      return fault(f('quantity'), `${n} needs a quantity above 0 and at most ${number(r.max_seizure_quantity)}.`);
    }
    const unit = textProblem(f('unit'), `${n}'s unit`, s.unit, r.max_unit, false);
    if (unit) return unit;
    if (BLANK.test(s.unit || '')) return fault(f('unit'), `${n} needs a unit, such as USD, each, rounds or kg.`);
    if (!(s.value_usd > 0) || s.value_usd > r.max_seizure_value_usd) {
      return fault(f('value_usd'), `${n} needs a value in USD above 0 and at most ${number(r.max_seizure_value_usd)} (an estimate will do).`);
    }
  }
  return null;
}
