// Signing out while records wait on this phone: say so first. They stay
// here, kept for the officer who made them, and are sent when that
// officer signs in on this phone again, never under anyone else's name.
import { waiting } from './outbox.js';
import { records } from './outbox-view.js';
import { forgetPages } from './forget.js';

const form = document.querySelector('form.who');

// count is how many of this user's records wait, without making the
// outbox's database on a device that never had one.
async function count() {
  try {
    if (indexedDB.databases && !(await indexedDB.databases()).some(d => d.name === 'outbound')) return 0;
    return (await waiting()).length;
  } catch {
    return 0;
  }
}

// signOut forgets the pages kept for offline use, which name this user,
// and signs out.
function signOut() {
  forgetPages().then(() => form.submit());
}

function button(label, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

// say shows a notice above the page; with n records waiting, it offers to
// sign out anyway.
function say(message, n) {
  document.getElementById('signout-warning')?.remove();
  const box = document.createElement('div');
  box.id = 'signout-warning';
  box.className = 'notice';
  box.setAttribute('role', 'alert');
  const p = document.createElement('p');
  p.textContent = message;
  const stay = button(n ? 'Stay signed in' : 'Close', 'btn', () => box.remove());
  const actions = document.createElement('p');
  actions.className = 'actions';
  actions.append(stay);
  if (n) actions.append(button('Sign out anyway', 'btn secondary', signOut));
  box.append(p, actions);
  document.getElementById('main').prepend(box);
  stay.focus();
}

form?.addEventListener('submit', async ev => {
  ev.preventDefault();
  // Offline, the server cannot end the session: the form stays usable.
  if (!navigator.onLine) {
    say('No network: signing out needs it. Your records and the form stay on this phone.', 0);
    return;
  }
  const n = await count();
  if (n === 0) {
    signOut();
    return;
  }
  say(`${records(n)} of yours ${n === 1 ? 'waits' : 'wait'} to be sent from this phone. If you sign out now, ` +
    `${n === 1 ? 'it stays' : 'they stay'} here and ${n === 1 ? 'is' : 'are'} sent when you sign in on this phone again.`, n);
});
