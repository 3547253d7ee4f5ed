// What the page knows: events from the server, indexed for the screens, and the poll that keeps
// them fresh (the Flutter client's requests, DESIGN §2.3, plus a look-back so late events count).
import * as api from './api.js';
import { signer } from './signer.js';

const LOOK_BACK_SECONDS = 120;
const MAX_LOOKUPS = 100;

export const state = {
  events: new Map(),        // id -> event (kinds 1, 6, 7)
  profiles: new Map(),      // pubkey -> {name, about, picture, created_at}
  likes: new Map(),         // liked event id -> Set of liker pubkeys
  replies: new Map(),       // event id -> Set of ids replying to it
  shown: new Set(),         // timeline ids the user has been shown
  pending: new Set(),       // timeline ids arrived since, behind the "n new posts" bar
  follows: null,            // array of followed pubkeys once the follow list is known
  followsCreatedAt: 0,
  loaded: false,            // the first timeline answer arrived
  offline: null,            // the ServerError of the last poll when the server is unreachable or failing, else null
  peers: null,              // how many peers the server reaches, when known
  live: false,              // a WebSocket subscription to this server is open
  version: 0,               // bumped on every change: screens re-render when it moves
};

const listeners = new Set();
export function onChange(listener) { listeners.add(listener); }
let scheduled = false;
function changed() {
  state.version++;
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => { scheduled = false; listeners.forEach(l => l()); });
}

const wanted = { profiles: new Set(), posts: new Map() };
let lastPoll = null;
let timer = null;
let pollSeconds = 10;

export function tagValue(event, name) {
  const tag = event.tags.find(t => t[0] === name && t.length > 1);
  return tag ? tag[1] : null;
}

/** The post a reply answers (NIP-10 marked "reply", else "root", else the last unmarked e tag). */
export function parentOf(event) {
  if (event.kind !== 1 || isQuote(event)) return null;
  const es = event.tags.filter(t => t[0] === 'e' && t.length > 1);
  return (es.find(t => t[3] === 'reply') || es.find(t => t[3] === 'root') || es.filter(t => !t[3]).pop() || [])[1] || null;
}

export function rootOf(event) {
  const root = event.tags.find(t => t[0] === 'e' && t[3] === 'root');
  return root ? root[1] : parentOf(event);
}

export function isQuote(event) {
  return event.kind === 1 && event.tags.some(t => t[0] === 'q');
}

export function quotedId(event) {
  if (!isQuote(event)) return null;
  const q = event.tags.find(t => t[0] === 'q' && t.length > 1);
  const mention = event.tags.find(t => t[0] === 'e' && t[3] === 'mention');
  return (q && q[1]) || (mention && mention[1]) || null;
}

/** The reposted event of a kind-6, from its content (kept in the index too). */
export function repostedOf(event) {
  if (event.kind !== 6) return null;
  const id = tagValue(event, 'e');
  return (id && state.events.get(id)) || null;
}

export function mentions(event, pubkey) {
  return event.tags.some(t => t[0] === 'p' && t[1] === pubkey);
}

function isTimelineEvent(e) { return e.kind === 1 || e.kind === 6; }

/**
 * Adds events from an answer; returns how many changed what the page shows. source says where
 * they come from: 'timeline' (the poll, the relay: new ones wait behind the "n new posts" bar),
 * 'own' (what the user just published: shown at once) or 'lookup' (a thread, a profile, a
 * quoted or parent post fetched by id: known, but not put on the timeline until the poll
 * brings them too).
 */
export function add(events, source = 'timeline') {
  let fresh = 0;
  for (const e of events) {
    if (e.kind === 0) { addProfile(e); continue; }
    if (e.kind === 3) { if (e.pubkey === signer.pubkey) setFollows(e); continue; }
    if (e.kind !== 1 && e.kind !== 6 && e.kind !== 7) continue;
    if (!state.events.has(e.id)) {
      index(e);
      fresh++;
    }
    if (isTimelineEvent(e) && source !== 'lookup' && !state.shown.has(e.id) && !state.pending.has(e.id)) {
      if (!state.loaded || source === 'own' || e.pubkey === signer.pubkey) state.shown.add(e.id);
      else state.pending.add(e.id);
      fresh++;
    }
  }
  if (fresh) changed();
  return fresh;
}

function index(e) {
  state.events.set(e.id, e);
  wanted.posts.delete(e.id);
  if (e.kind === 7) {
    const target = [...e.tags].reverse().find(t => t[0] === 'e' && t.length > 1);
    if (target) (state.likes.get(target[1]) || state.likes.set(target[1], new Set()).get(target[1])).add(e.pubkey);
  } else if (e.kind === 6) {
    try {
      const inner = JSON.parse(e.content);
      if (inner && /^[0-9a-f]{64}$/.test(inner.id) && /^[0-9a-f]{64}$/.test(inner.pubkey) && inner.kind === 1
          && typeof inner.content === 'string' && Number.isInteger(inner.created_at)) {
        add([{ id: inner.id, pubkey: inner.pubkey, created_at: inner.created_at, kind: 1,
          tags: Array.isArray(inner.tags) ? inner.tags.filter(Array.isArray) : [], content: inner.content }], 'lookup');
      }
    } catch (err) { /* a repost without its post's JSON: fetched by id below */ }
  }
  const parent = parentOf(e);
  if (parent) (state.replies.get(parent) || state.replies.set(parent, new Set()).get(parent)).add(e.id);
  if (!state.profiles.has(e.pubkey) && !gaveUp.has(e.pubkey)) wanted.profiles.add(e.pubkey);
  const needed = e.kind === 6 ? tagValue(e, 'e') : quotedId(e) || parent;
  if (needed && !state.events.has(needed) && !gaveUp.has(needed)) {
    const author = e.tags.find(t => t[0] === 'p' && t.length > 1);
    wanted.posts.set(needed, author ? author[1] : null);
  }
}

function addProfile(e) {
  const known = state.profiles.get(e.pubkey);
  if (known && known.created_at >= e.created_at) return;
  let content = {};
  try { content = JSON.parse(e.content) || {}; } catch (err) { /* an unreadable profile is a nameless one */ }
  state.profiles.set(e.pubkey, {
    name: typeof content.name === 'string' ? content.name : (typeof content.display_name === 'string' ? content.display_name : ''),
    about: typeof content.about === 'string' ? content.about : '',
    picture: typeof content.picture === 'string' ? content.picture : '',
    raw: content, created_at: e.created_at,
  });
  wanted.profiles.delete(e.pubkey);
  changed();
}

function setFollows(e) {
  if (state.follows && state.followsCreatedAt >= e.created_at) return;
  state.follows = [...new Set(e.tags.filter(t => t[0] === 'p' && /^[0-9a-f]{64}$/.test(t[1] || '')).map(t => t[1]))];
  state.followsCreatedAt = e.created_at;
  changed();
}

/** Timeline events, newest first; with following, only those of followed users and the own. */
export function timeline(following) {
  const list = [...state.shown].map(id => state.events.get(id)).filter(Boolean);
  const follows = new Set(state.follows || []);
  return list.filter(e => !following || e.pubkey === signer.pubkey || follows.has(e.pubkey))
    .sort((a, b) => b.created_at - a.created_at);
}

export function showPending() {
  state.pending.forEach(id => state.shown.add(id));
  state.pending.clear();
  changed();
}

export function profileOf(pubkey) {
  if (!state.profiles.has(pubkey) && !gaveUp.has(pubkey)) wanted.profiles.add(pubkey);
  return state.profiles.get(pubkey) || null;
}

export function likeCount(id) { return (state.likes.get(id) || new Set()).size; }
export function likedByMe(id) { return (state.likes.get(id) || new Set()).has(signer.pubkey); }

/** Replies, mentions, likes and reposts others sent the user, newest first. */
export function notifications() {
  const me = signer.pubkey;
  return [...state.events.values()].filter(e => e.pubkey !== me && mentions(e, me)).sort((a, b) => b.created_at - a.created_at);
}

/** Asks for a post (a thread's, or a quoted one) until it is here. */
export function want(id, author) {
  if (!state.events.has(id) && !gaveUp.has(id)) wanted.posts.set(id, author || null);
}

/** Fetches the replies to a post now (a thread being opened). */
export async function loadThread(id) {
  retry(id);
  add(await api.req({ kinds: [1], '#e': [id], limit: 500 }), 'lookup');
}

/**
 * Subscribes over a NIP-01 WebSocket relay at this same origin when the server has one, so new
 * events show at once; the poll goes on either way (it also catches what the relay missed).
 * A server without one refuses the upgrade; the page then tries again later, less and less often.
 */
let relayRetrySeconds = 30;
export function connectRelay() {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/';
  let socket;
  try { socket = new WebSocket(url); } catch (e) { return; }
  socket.onopen = () => {
    state.live = true;
    relayRetrySeconds = 30;
    const since = Math.floor(Date.now() / 1000) - LOOK_BACK_SECONDS;
    socket.send(JSON.stringify(['REQ', 'np2p-live', { kinds: [0, 1, 6, 7], since }]));
    changed();
  };
  socket.onmessage = (message) => {
    if (typeof message.data !== 'string' || message.data.length > 1 << 20) return;
    let frame;
    try { frame = JSON.parse(message.data); } catch (e) { return; }
    if (!Array.isArray(frame) || frame[0] !== 'EVENT' || !isEventShape(frame[2])) return;
    add([frame[2]]);
  };
  socket.onclose = () => {
    if (state.live) { state.live = false; changed(); }
    setTimeout(connectRelay, relayRetrySeconds * 1000);
    relayRetrySeconds = Math.min(relayRetrySeconds * 2, 600);
  };
}

function isEventShape(e) {
  return e && typeof e === 'object' && /^[0-9a-f]{64}$/.test(e.id) && /^[0-9a-f]{64}$/.test(e.pubkey)
    && Number.isInteger(e.created_at) && Number.isInteger(e.kind) && typeof e.content === 'string'
    && Array.isArray(e.tags) && e.tags.every(t => Array.isArray(t) && t.every(x => typeof x === 'string'));
}

/** Polls at once, then every pollSeconds. */
export function startPolling(seconds) {
  pollSeconds = seconds;
  if (timer) clearTimeout(timer);
  const loop = async () => {
    await poll();
    timer = setTimeout(loop, pollSeconds * 1000);
  };
  loop();
}

async function poll() {
  const now = Math.floor(Date.now() / 1000);
  try {
    const filter = lastPoll == null
      ? { kinds: [40000], since: -1, until: -1, limit: 300 }
      : { kinds: [40000], since: lastPoll - LOOK_BACK_SECONDS, until: 0, limit: -1 };
    const events = await api.req(filter);
    if (lastPoll != null || events.length > 0) lastPoll = now;
    add(events);
    const me = signer.pubkey;
    if (me) {
      // What others sent the user: replies, mentions, likes, reposts, late ones included.
      add(await api.req({ kinds: [1, 6, 7], '#p': [me], limit: 200 }));
      if (state.follows == null) {
        const lists = await api.req({ kinds: [3], authors: [me] });
        if (lists.length) add(lists); else { state.follows = []; changed(); }
      }
      if (!state.profiles.has(me)) wanted.profiles.add(me);
    }
    // What the first answers brought is the timeline as loaded; later arrivals are "new posts".
    if (!state.loaded) { state.loaded = true; changed(); }
    if (wanted.profiles.size) {
      const authors = [...wanted.profiles].slice(0, MAX_LOOKUPS);
      add(await api.req({ kinds: [0], authors }));
      giveUpAfterTries(authors.filter(a => !state.profiles.has(a)), id => wanted.profiles.delete(id));
    }
    const posts = [...wanted.posts].slice(0, 20);
    for (const [id, author] of posts) {
      const filter = author ? { kinds: [1], ids: [id], authors: [author] } : { kinds: [1], ids: [id] };
      add(await api.req(filter), 'lookup');
    }
    giveUpAfterTries(posts.map(([id]) => id).filter(id => !state.events.has(id)), id => wanted.posts.delete(id));
    if (state.offline) { state.offline = null; changed(); }
  } catch (e) {
    if (e.status === 0 || e.status >= 500) {
      state.offline = e;
      changed();
    } else {
      console.warn('poll failed', e);
    }
  }
}

// A profile or post still missing after this many polls (5 minutes at 10 s) is no longer asked
// for (its author's server may be gone); opening its thread or profile asks again.
const MAX_TRIES = 30;
const tries = new Map();
const gaveUp = new Set();
function giveUpAfterTries(missing, forget) {
  for (const key of missing) {
    const n = (tries.get(key) || 0) + 1;
    if (n >= MAX_TRIES) { tries.delete(key); gaveUp.add(key); forget(key); } else tries.set(key, n);
  }
}

/** Asks again for a profile or post given up on (the user opened its page). */
export function retry(key) {
  gaveUp.delete(key);
}

/** Signs and publishes an event, then adds it; rejects with the server's reason. */
export async function publish(template) {
  const event = await signer.sign({ created_at: Math.floor(Date.now() / 1000), ...template });
  await api.publish(event);
  add([event], 'own');
  return event;
}

/** Asks the server for its overlay (owner only); keeps the peer count for the empty timeline. */
export async function overlayStatus() {
  const status = await api.status(signer);
  state.peers = Math.max(0, (status.peers || []).length - 1);
  changed();
  return status;
}
