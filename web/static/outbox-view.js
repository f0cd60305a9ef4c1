// What the officer must know about the outbox, on the form and on the
// outbox page: a session that has ended (not the network) keeps records
// waiting; other officers' records wait on this phone; some were refused.
import { waiting, refused, held, sessionEnded } from './outbox.js';

export function records(n) { return `${n} record${n === 1 ? '' : 's'}`; }

// line makes a paragraph of text and links ([text, href] pairs).
export function line(className, role, ...parts) {
  const p = document.createElement('p');
  p.className = className;
  if (role) p.setAttribute('role', role);
  for (const part of parts) {
    if (typeof part === 'string') { p.append(part); continue; }
    const a = document.createElement('a');
    a.textContent = part[0];
    a.href = part[1];
    p.append(a);
  }
  return p;
}

// showAlerts fills el with what the outbox needs the officer to know.
export async function showAlerts(el) {
  const [mine, bad, others] = await Promise.all([waiting(), refused(), held()]);
  const out = [];
  if (sessionEnded() && mine.length > 0) {
    const back = '/login?next=' + encodeURIComponent(location.pathname);
    out.push(line('toast bad', 'alert', 'Your session has ended. ', ['Sign in again', back],
      ` to send ${records(mine.length)}; ${mine.length === 1 ? 'it is' : 'they are'} kept on this phone.`));
  }
  if (others > 0) {
    out.push(line('notice', null, `${records(others)} made by another officer ${others === 1 ? 'waits' : 'wait'} on this phone. ` +
      'They are sent when that officer signs in here again, never under your name.'));
  }
  if (bad.length > 0 && location.pathname !== '/outbox') {
    out.push(line('toast bad', null, `${records(bad.length)} not accepted: `, ['correct or discard in the outbox', '/outbox'], '.'));
  }
  el.replaceChildren(...out);
}
