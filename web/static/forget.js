// forgetPages asks the service worker to forget the pages it keeps for
// offline use, which name the user they were made for: someone is signing
// in or out on this phone. It resolves when they are forgotten, at once
// without a service worker, and after two seconds whatever happens: a
// worker that does not answer does not keep anyone from signing in or out.
export function forgetPages() {
  const sw = navigator.serviceWorker?.controller;
  if (!sw) return Promise.resolve();
  return new Promise(resolve => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    sw.postMessage('forget-pages', [ch.port2]);
    setTimeout(resolve, 2000);
  });
}
