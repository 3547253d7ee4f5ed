// The screens: sign-in, home (global / following), thread, profile, notifications, settings.
import { h, replace, ago, colourOf, shortKey } from './dom.js';
import { signer } from './signer.js';
import * as S from './state.js';
import * as api from './api.js';

const state = S.state;

export const prefs = {
  get pictures() { return localStorage.getItem('nostrp2p.pictures') === 'on'; },
  set pictures(on) { localStorage.setItem('nostrp2p.pictures', on ? 'on' : 'off'); },
};

export function nameOf(pubkey) {
  const p = S.profileOf(pubkey);
  return (p && p.name) || shortKey(signer.npub(pubkey));
}

function avatar(pubkey, size) {
  const p = S.profileOf(pubkey);
  const cls = 'avatar' + (size === 'big' ? ' big' : '');
  if (prefs.pictures && p && /^https?:\/\//.test(p.picture)) {
    return h('img', { class: cls, src: p.picture, alt: '', referrerpolicy: 'no-referrer', loading: 'lazy' });
  }
  // A named user's initial; for a nameless one a letter of the key (every npub starts with "n").
  const letter = p && p.name ? p.name[0] : signer.npub(pubkey)[5];
  const el = h('span', { class: cls, 'aria-hidden': 'true' }, (letter || '?').toUpperCase());
  el.style.background = colourOf(pubkey);
  return el;
}

function userLink(pubkey) {
  return h('a', { class: 'name', href: '#/p/' + pubkey }, nameOf(pubkey));
}

/** A form that signs and publishes; shows the server's reason when it refuses. */
export function composer({ placeholder, label, onPublish, autofocus }) {
  const text = h('textarea', { testid: 'compose', rows: 3, placeholder, 'aria-label': placeholder, maxlength: 20000 });
  const error = h('p', { class: 'error', testid: 'publish-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', testid: 'compose-submit' }, label);
  const form = h('form', {
    class: 'composer',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const content = text.value.trim();
      if (!content) { text.focus(); return; }
      button.disabled = true;
      error.hidden = true;
      try {
        await onPublish(content);
        text.value = '';
      } catch (e) {
        error.textContent = (e.status ? 'Your server refused this (' + e.status + '): ' : 'Not published: ') + e.message;
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    },
  }, text, h('div', { class: 'row' }, h('span', { class: 'muted small' }, 'Ctrl+Enter to send'), button), error);
  text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) form.requestSubmit();
  });
  if (autofocus) setTimeout(() => text.focus(), 0);
  return form;
}

function replyTags(parent) {
  const root = S.rootOf(parent);
  const tags = root && root !== parent.id
    ? [['e', root, '', 'root'], ['e', parent.id, '', 'reply']]
    : [['e', parent.id, '', 'root']];
  const people = new Set([parent.pubkey, ...parent.tags.filter(t => t[0] === 'p' && /^[0-9a-f]{64}$/.test(t[1] || '')).map(t => t[1])]);
  people.delete(signer.pubkey);
  if (people.size === 0) people.add(parent.pubkey);
  people.forEach(p => tags.push(['p', p]));
  return tags;
}

export function reply(parent, content) {
  return S.publish({ kind: 1, tags: replyTags(parent), content });
}

async function act(button, work) {
  button.disabled = true;
  try {
    await work();
  } catch (e) {
    flash((e.status ? 'Your server refused this (' + e.status + '): ' : '') + e.message);
    button.disabled = false;
  }
}

/** A short message at the top of the page (a refused action, a copied key). */
export function flash(message) {
  const banner = document.getElementById('banner');
  const note = h('p', { class: 'flash', testid: 'flash', role: 'alert' }, message,
    h('button', { class: 'link', onclick: () => note.remove(), 'aria-label': 'Dismiss' }, '×'));
  banner.append(note);
  setTimeout(() => note.remove(), 15000);
}

const LINK = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])|nostr:(npub1[02-9ac-hj-np-z]{58}|note1[02-9ac-hj-np-z]{58})/g;

/** A post's text as text nodes, with web addresses as links (opened elsewhere) and nostr: references as pages here. */
function linkified(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    parts.push(text.slice(last, match.index));
    if (match[1]) {
      parts.push(h('a', { href: match[1], rel: 'noopener noreferrer nofollow', target: '_blank' }, match[1]));
    } else {
      let target = null;
      try {
        const decoded = signer.decode(match[2]);
        target = decoded.type === 'npub' ? '#/p/' + decoded.data : decoded.type === 'note' ? '#/t/' + decoded.data : null;
      } catch (err) { /* not a valid reference: left as text */ }
      parts.push(target ? h('a', { href: target }, match[0].slice(0, 20) + '…') : match[0]);
    }
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** One post, with its actions. compact: no actions (a quoted or parent post). */
export function noteView(e, opts = {}) {
  if (e.kind === 6) {
    const inner = S.repostedOf(e);
    return h('div', { class: 'repost', testid: 'repost' },
      h('p', { class: 'muted small' }, '↻ ', userLink(e.pubkey), ' reposted · ', ago(e.created_at)),
      inner ? noteView(inner, opts) : h('p', { class: 'muted' }, 'Reposted post loading…'));
  }
  const parent = S.parentOf(e);
  const quoted = S.quotedId(e);
  const liked = S.likedByMe(e.id);
  const likes = S.likeCount(e.id);
  const replies = (state.replies.get(e.id) || new Set()).size;
  const body = h('article', {
    class: 'note' + (opts.focus ? ' focus' : '') + (opts.compact ? ' compact' : ''),
    testid: opts.compact ? 'note-quoted' : 'note', dataset: { noteId: e.id },
  },
  avatar(e.pubkey),
  h('div', { class: 'note-main' },
    h('header', {}, userLink(e.pubkey), ' ',
      h('a', { class: 'muted small', href: '#/t/' + e.id, title: new Date(e.created_at * 1000).toLocaleString() }, ago(e.created_at))),
    parent && !opts.inThread ? h('p', { class: 'muted small' }, 'replying to ',
      h('a', { href: '#/t/' + parent }, state.events.has(parent) ? nameOf(state.events.get(parent).pubkey) : 'a post')) : null,
    h('p', { class: 'content', testid: 'note-content' }, linkified(e.content)),
    quoted ? (state.events.has(quoted)
      ? h('div', { class: 'quoted' }, noteView(state.events.get(quoted), { compact: true }))
      : h('p', { class: 'quoted muted small' }, 'Quoted post loading…')) : null,
    opts.compact ? null : h('div', { class: 'actions' },
      h('a', { class: 'action', href: '#/t/' + e.id + '/reply', testid: 'note-reply', 'aria-label': 'Reply (' + replies + ' replies)' },
        '↩ ', replies ? String(replies) : ''),
      h('button', {
        class: 'action', testid: 'note-repost', 'aria-label': 'Repost',
        onclick: (ev) => act(ev.currentTarget, async () => {
          const { sig, ...bare } = e;
          await S.publish({ kind: 6, tags: [['e', e.id, ''], ['p', e.pubkey]], content: JSON.stringify(bare) });
          flash('Reposted.');
        }),
      }, '↻'),
      h('a', { class: 'action', href: '#/quote/' + e.id, testid: 'note-quote', 'aria-label': 'Quote' }, '❝'),
      h('button', {
        class: 'action like' + (liked ? ' on' : ''), testid: 'note-like', 'aria-pressed': String(liked),
        'aria-label': liked ? 'You like this (' + likes + ' likes)' : 'Like (' + likes + ' likes)',
        disabled: liked,
        onclick: (ev) => act(ev.currentTarget, () => S.publish({ kind: 7, tags: [['e', e.id], ['p', e.pubkey]], content: '+' })),
      }, liked ? '♥ ' : '♡ ', h('span', { testid: 'like-count' }, likes ? String(likes) : '')))));
  if (quoted && !state.events.has(quoted)) S.want(quoted, (e.tags.find(t => t[0] === 'p') || [])[1]);
  return body;
}

// ---- Sign in ----------------------------------------------------------------------------------

export function signInScreen(main, done) {
  const key = h('input', { testid: 'key-input', id: 'key', type: 'password', autocomplete: 'off', spellcheck: false, placeholder: 'nsec1… or ncryptsec1…', required: true });
  const password = h('input', { testid: 'key-password', id: 'password', type: 'password', autocomplete: 'off' });
  const passwordRow = h('p', { hidden: true }, h('label', { for: 'password' }, 'Password of the ncryptsec'), password);
  const remember = h('input', { type: 'checkbox', id: 'remember', testid: 'key-remember' });
  const error = h('p', { class: 'error', role: 'alert', testid: 'key-error', hidden: true });
  key.addEventListener('input', () => { passwordRow.hidden = !key.value.trim().startsWith('ncryptsec1'); });
  const form = h('form', {
    class: 'card', onsubmit: (ev) => {
      ev.preventDefault();
      try {
        signer.useKey(key.value, password.value, remember.checked);
        key.value = ''; password.value = '';
        done();
      } catch (e) {
        error.textContent = e.message; error.hidden = false;
      }
    },
  },
  h('h1', {}, 'Sign in'),
  h('p', {}, 'This page signs what you write with your key, here in the browser. ',
    h('strong', {}, 'Your secret key is never sent to your server'), ' (nor anywhere else): it stays in this page\'s memory, ',
    'and in this tab\'s session storage only if you tick the box below.'),
  signer.hasExtension() ? h('p', {}, h('button', {
    type: 'button', testid: 'key-extension',
    onclick: async () => { try { await signer.useExtension(); done(); } catch (e) { error.textContent = 'The extension refused: ' + e.message; error.hidden = false; } },
  }, 'Sign in with your Nostr extension (NIP-07)'), ' or enter a key:') : null,
  h('p', {}, h('label', { for: 'key' }, 'Secret key (nsec, ncryptsec or hex)'), key),
  passwordRow,
  h('p', {}, remember, ' ', h('label', { for: 'remember' }, 'Remember it in this tab until it is closed (session storage)')),
  h('p', {}, h('button', { type: 'submit', testid: 'key-submit' }, 'Sign in')),
  error,
  h('p', { class: 'muted small' }, 'No key yet? Run ', h('code', {}, 'nostrp2p genkey'), ' on your server. The key must be the one your server was started with (',
    h('code', {}, '-p npub…'), '): a server publishes only its own user\'s posts.'));
  replace(main, form);
  setTimeout(() => key.focus(), 0);
  return { refresh() {} };
}

// ---- Home -------------------------------------------------------------------------------------

export function homeScreen(main, { following, quote }) {
  const quoted = quote ? state.events.get(quote) : null;
  const compose = composer({
    placeholder: quoted ? 'Say something about this post' : 'What is happening?',
    label: quoted ? 'Quote' : 'Post',
    autofocus: !!quote,
    onPublish: async (content) => {
      if (quoted) {
        await S.publish({ kind: 1, tags: [['e', quoted.id, '', 'mention'], ['p', quoted.pubkey], ['q']], content });
        location.hash = '#/';
      } else {
        await S.publish({ kind: 1, tags: [], content });
      }
    },
  });
  const tabs = h('div', { class: 'tabs', role: 'tablist' },
    h('a', { href: '#/', role: 'tab', 'aria-selected': String(!following), testid: 'tab-global' }, 'Global'),
    h('a', { href: '#/following', role: 'tab', 'aria-selected': String(following), testid: 'tab-following' }, 'Following'));
  const bar = h('div');
  const list = h('div', { class: 'list', testid: 'timeline', 'aria-live': 'off' });
  replace(main, tabs, quoted ? h('div', { class: 'quoted' }, noteView(quoted, { compact: true })) : null, compose, bar, list);
  let seen = -1;
  function refresh() {
    const pending = [...state.pending].map(id => state.events.get(id)).filter(Boolean)
      .filter(e => !following || (state.follows || []).includes(e.pubkey));
    replace(bar, pending.length ? h('button', { class: 'new-posts', testid: 'new-posts', onclick: () => S.showPending() },
      pending.length === 1 ? '1 new post' : pending.length + ' new posts') : null);
    if (seen === state.version) return;
    seen = state.version;
    const items = S.timeline(following);
    if (!state.loaded) { replace(list, h('p', { class: 'muted' }, 'Loading the timeline…')); return; }
    if (items.length === 0) {
      if (state.peers == null && signer.canSignSilently) S.overlayStatus().catch(() => {});
      replace(list, h('p', { class: 'empty', testid: 'timeline-empty' },
        following ? 'No posts from people you follow yet.' : 'No posts yet: your server knows '
          + (state.peers == null ? 'some' : state.peers) + (state.peers === 1 ? ' peer.' : ' peers.')));
      return;
    }
    replace(list, items.slice(0, 300).map(e => noteView(e)));
  }
  refresh();
  return { refresh };
}

// ---- Thread -----------------------------------------------------------------------------------

export function threadScreen(main, id, replying) {
  const head = h('div');
  const compose = composer({
    placeholder: 'Write your reply', label: 'Reply', autofocus: replying,
    onPublish: (content) => reply(state.events.get(id), content),
  });
  const below = h('div', { class: 'list replies', testid: 'thread-replies' });
  replace(main, h('h1', { class: 'title' }, 'Thread'), head, compose, below);
  compose.hidden = !state.events.has(id);
  S.loadThread(id).catch(() => {});
  let seen = -1;
  function tree(parentId, depth) {
    const children = [...(state.replies.get(parentId) || [])].map(r => state.events.get(r)).filter(Boolean)
      .sort((a, b) => a.created_at - b.created_at);
    return children.map(c => h('div', { class: 'branch' + (depth > 0 ? ' nested' : '') },
      noteView(c, { inThread: true }), depth < 6 ? tree(c.id, depth + 1) : null));
  }
  function refresh() {
    if (seen === state.version) return;
    seen = state.version;
    const focus = state.events.get(id);
    if (!focus) {
      S.want(id);
      replace(head, h('p', { class: 'muted' }, 'Asking your server for this post…'));
      return;
    }
    compose.hidden = false;
    const ancestors = [];
    for (let p = S.parentOf(focus), n = 0; p && n < 20; n++) {
      const e = state.events.get(p);
      if (!e) { S.want(p, (focus.tags.find(t => t[0] === 'p') || [])[1]); ancestors.unshift(h('p', { class: 'muted small' }, 'An earlier post is loading…')); break; }
      ancestors.unshift(noteView(e, { inThread: true }));
      p = S.parentOf(e);
    }
    replace(head, ancestors, noteView(focus, { focus: true, inThread: true }));
    const replies = tree(id, 0);
    replace(below, replies.length ? replies : h('p', { class: 'muted' }, 'No replies yet.'));
  }
  refresh();
  return { refresh };
}

// ---- Profile ----------------------------------------------------------------------------------

export function profileScreen(main, pubkey) {
  const me = pubkey === signer.pubkey;
  const head = h('div');
  const editor = me ? profileEditor() : null;
  const list = h('div', { class: 'list', testid: 'profile-posts' });
  replace(main, head, editor && editor.form, h('h2', {}, 'Posts'), list);
  S.retry(pubkey);
  // Posts by this user come with the timeline; older ones the server keeps are asked for here.
  api.req({ kinds: [1, 6], authors: [pubkey], limit: 100 }).then(events => S.add(events, 'lookup')).catch(() => {});
  let seen = -1;
  function refresh() {
    if (seen === state.version) return;
    seen = state.version;
    const p = S.profileOf(pubkey);
    if (editor) editor.fill(p);
    const follows = state.follows || [];
    const following = follows.includes(pubkey);
    replace(head, h('section', { class: 'profile card' },
      avatar(pubkey, 'big'),
      h('div', {},
        h('h1', { testid: 'profile-display-name' }, nameOf(pubkey)),
        h('p', { class: 'muted small key' }, signer.npub(pubkey)),
        p && p.about ? h('p', { testid: 'profile-about' }, p.about) : null,
        me ? h('p', { class: 'muted small' }, 'This is you.') : h('button', {
          testid: 'follow-toggle', 'aria-pressed': String(following), disabled: state.follows == null,
          onclick: (ev) => act(ev.currentTarget, async () => {
            const next = following ? follows.filter(f => f !== pubkey) : [...follows, pubkey];
            await S.publish({ kind: 3, tags: next.map(f => ['p', f, '', '']), content: '' });
          }),
        }, state.follows == null ? 'Loading follow list…' : following ? 'Unfollow' : 'Follow'))));
    const posts = [...state.events.values()].filter(e => e.pubkey === pubkey && (e.kind === 1 || e.kind === 6))
      .sort((a, b) => b.created_at - a.created_at).slice(0, 200);
    replace(list, posts.length ? posts.map(e => noteView(e)) : h('p', { class: 'muted' }, 'No posts here yet.'));
  }
  refresh();
  return { refresh };
}

/** The own profile's editor; fill(profile) shows the stored profile until the user types. */
function profileEditor() {
  const name = h('input', { id: 'pname', testid: 'profile-name', maxlength: 100 });
  const about = h('textarea', { id: 'pabout', testid: 'profile-about-input', rows: 3, maxlength: 2000 });
  const picture = h('input', { id: 'ppicture', testid: 'profile-picture', type: 'url', placeholder: 'https://…' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  let typed = false;
  let filledFrom = null;
  [name, about, picture].forEach(field => field.addEventListener('input', () => { typed = true; }));
  const fill = (p) => {
    if (typed || !p || p === filledFrom) return;
    filledFrom = p;
    name.value = p.name; about.value = p.about; picture.value = p.picture;
  };
  const form = h('form', {
    class: 'card', onsubmit: async (ev) => {
      ev.preventDefault();
      error.hidden = true;
      try {
        const current = (S.profileOf(signer.pubkey) || {}).raw || {};
        await S.publish({ kind: 0, tags: [], content: JSON.stringify({ ...current, name: name.value.trim(), about: about.value.trim(), picture: picture.value.trim() }) });
        typed = false;
        flash('Profile saved and sent to every server.');
      } catch (e) {
        error.textContent = (e.status ? 'Your server refused this (' + e.status + '): ' : '') + e.message; error.hidden = false;
      }
    },
  }, h('h2', {}, 'Edit your profile'),
  h('p', {}, h('label', { for: 'pname' }, 'Name'), name),
  h('p', {}, h('label', { for: 'pabout' }, 'About'), about),
  h('p', {}, h('label', { for: 'ppicture' }, 'Picture URL'), picture),
  h('p', {}, h('button', { type: 'submit', testid: 'profile-save' }, 'Save')), error);
  fill(S.profileOf(signer.pubkey));
  return { form, fill };
}

// ---- Notifications ----------------------------------------------------------------------------

export function notificationsScreen(main) {
  const list = h('div', { class: 'list', testid: 'notifications' });
  replace(main, h('h1', { class: 'title' }, 'Notifications'), list);
  let seen = -1;
  function refresh() {
    if (seen === state.version) return;
    seen = state.version;
    const items = S.notifications().slice(0, 200).map(e => {
      if (e.kind === 7) {
        const target = state.events.get(S.tagValue(e, 'e'));
        return h('div', { class: 'notice', testid: 'notice-like' },
          h('p', {}, '♥ ', userLink(e.pubkey), ' liked your post · ', h('span', { class: 'muted small' }, ago(e.created_at))),
          target ? noteView(target, { compact: true }) : null);
      }
      if (e.kind === 6) {
        return h('div', { class: 'notice', testid: 'notice-repost' },
          h('p', {}, '↻ ', userLink(e.pubkey), ' reposted your post · ', h('span', { class: 'muted small' }, ago(e.created_at))));
      }
      return h('div', { class: 'notice', testid: 'notice-reply' },
        h('p', { class: 'muted small' }, S.parentOf(e) ? 'Reply' : S.isQuote(e) ? 'Quote' : 'Mention'), noteView(e));
    });
    replace(list, items.length ? items : h('p', { class: 'muted' }, 'Nothing yet: replies, mentions, likes and reposts of your posts show here.'));
  }
  refresh();
  return { refresh };
}

// ---- Settings ---------------------------------------------------------------------------------

export function settingsScreen(main, signOut) {
  const pictures = h('input', { type: 'checkbox', id: 'pictures', testid: 'pictures-toggle', checked: prefs.pictures,
    onchange: (ev) => { prefs.pictures = ev.target.checked; state.version++; } });
  replace(main, h('h1', { class: 'title' }, 'Settings'),
    h('section', { class: 'card' }, h('h2', {}, 'Your key'),
      h('p', {}, 'Signed in as ', h('code', { class: 'key', testid: 'settings-npub' }, signer.npub())),
      h('p', {}, signer.method === 'extension' ? 'Your Nostr extension (NIP-07) signs; this page never sees your secret key.'
        : signer.remembered ? 'Your secret key is in this page\'s memory and this tab\'s session storage (gone when the tab closes). It is never sent to the server.'
          : 'Your secret key is in this page\'s memory only (gone when the page is closed or reloaded). It is never sent to the server.'),
      h('p', {}, h('button', { testid: 'sign-out', onclick: signOut }, 'Sign out and forget the key'))),
    h('section', { class: 'card' }, h('h2', {}, 'Server'),
      h('p', {}, 'This page talks only to the server that served it: ', h('code', {}, location.origin),
        '. It posts with POST /publish and reads with POST /req every ', String(window.np2pPollSeconds || 10), ' s',
        state.live ? ', and gets new events at once over its WebSocket relay.' : ' (the server offers no WebSocket relay).'),
      h('p', {}, 'To use it from a phone, open this same address over your VPN (for example Tailscale or WireGuard); the server needs no HTTPS set-up for that.')),
    h('section', { class: 'card' }, h('h2', {}, 'Privacy'),
      h('p', {}, pictures, ' ', h('label', { for: 'pictures' }, 'Show profile pictures (loads each picture from the site its URL names, which then sees your address)')),
      h('p', { class: 'muted small' }, 'Everything else this page loads comes from your own server.')));
  return { refresh() {} };
}
