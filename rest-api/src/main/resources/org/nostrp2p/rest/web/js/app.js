// The NostrP2P web client: served by the user's own server, talking only to it.
import { h, replace } from './dom.js';
import { signer } from './signer.js';
import * as S from './state.js';
import * as V from './views.js';
import { networkScreen } from './network.js';

const main = document.getElementById('main');
const banner = document.getElementById('banner');
const offline = h('p', { class: 'offline', testid: 'offline', role: 'alert', hidden: true });
banner.append(offline);

// ?poll=N polls every N seconds (at least 1) instead of every 10 s.
const requested = Number(new URLSearchParams(location.search).get('poll'));
window.np2pPollSeconds = requested >= 1 ? requested : 10;

let screen = null;
let polling = false;

function route() {
  if (screen && screen.dispose) screen.dispose();
  if (!signer.signedIn) {
    document.body.classList.add('signed-out');
    screen = V.signInScreen(main, () => { start(); route(); });
    return;
  }
  document.body.classList.remove('signed-out');
  const parts = (location.hash.replace(/^#\/?/, '') || '').split('/');
  const hex = /^[0-9a-f]{64}$/;
  let nav = 'home';
  if (parts[0] === 't' && hex.test(parts[1])) { screen = V.threadScreen(main, parts[1], parts[2] === 'reply'); nav = null; }
  else if (parts[0] === 'p' && hex.test(parts[1])) { screen = V.profileScreen(main, parts[1]); nav = parts[1] === signer.pubkey ? 'profile' : null; }
  else if (parts[0] === 'me') { screen = V.profileScreen(main, signer.pubkey); nav = 'profile'; }
  else if (parts[0] === 'notifications') { screen = V.notificationsScreen(main); nav = 'notifications'; }
  else if (parts[0] === 'network') { screen = networkScreen(main); nav = 'network'; }
  else if (parts[0] === 'settings') { screen = V.settingsScreen(main, signOut); nav = 'settings'; }
  else if (parts[0] === 'quote' && hex.test(parts[1])) { screen = V.homeScreen(main, { following: false, quote: parts[1] }); }
  else { screen = V.homeScreen(main, { following: parts[0] === 'following' }); }
  document.querySelectorAll('[data-nav]').forEach(a => {
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  window.scrollTo(0, 0);
}

function start() {
  if (!polling) {
    polling = true;
    S.startPolling(window.np2pPollSeconds);
    S.connectRelay();
  }
}

function signOut() {
  signer.signOut();
  // Forget everything the key unlocked: a fresh page.
  location.hash = '#/';
  location.reload();
}

S.onChange(() => {
  offline.hidden = !S.state.offline;
  if (S.state.offline) {
    const problem = S.state.offline;
    replace(offline, (problem.status === 0 ? 'Your server at ' + location.origin + ' cannot be reached.'
      : 'Your server has a problem (' + problem.status + '): ' + problem.message + '.')
      + ' Trying again every ' + window.np2pPollSeconds + ' s; what you write now is not sent.');
  }
  if (screen) screen.refresh();
});
window.addEventListener('hashchange', route);

if (signer.restore()) start();
route();
