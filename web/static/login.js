// Someone signs in on this phone: the pages kept for the last user go
// first, so that the form works offline only as the one who signed in.
import { forgetPages } from './forget.js';

const form = document.querySelector('form[action="/login"]');
form?.addEventListener('submit', ev => {
  ev.preventDefault();
  // Once: a second tap would post the same sign-in (and any form it
  // carries) again.
  if (form.dataset.sending) return;
  form.dataset.sending = '1';
  forgetPages().then(() => form.submit());
});
