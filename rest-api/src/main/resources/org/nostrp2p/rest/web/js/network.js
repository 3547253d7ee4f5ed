// The network page: this server's peers, connections and routes from GET /status (signed with
// NIP-98 by the user's key), and a picture of the overlay: nodes and the links between them.
import { h, replace } from './dom.js';
import { signer } from './signer.js';
import * as S from './state.js';

const SIZE = 360;

export function networkScreen(main) {
  const body = h('div', { testid: 'network' });
  const reload = h('button', { testid: 'network-reload', onclick: () => load() }, 'Refresh');
  replace(main, h('h1', { class: 'title' }, 'Network'),
    h('p', { class: 'muted' }, 'What your server sees of the overlay. Only you can read it: the request is signed with your key (NIP-98). ', reload),
    body);
  let shown = false;
  async function load() {
    if (!shown) replace(body, h('p', { class: 'muted' }, signer.canSignSilently ? 'Asking your server…' : 'Asking your server (your extension may ask you to sign)…'));
    try {
      render(await S.overlayStatus());
      shown = true;
    } catch (e) {
      shown = false;
      replace(body, h('p', { class: 'error', role: 'alert', testid: 'network-error' },
        (e.status ? 'Your server refused (' + e.status + '): ' : '') + e.message));
    }
  }
  function render(status) {
    const others = (status.peers || []).filter(p => p.name !== status.name);
    const routes = Object.entries(status.routes || {});
    replace(body,
      h('p', {}, 'This server is ', h('code', { testid: 'network-self' }, status.name),
        status.nickName ? ' (' + status.nickName + ')' : '', '. It knows ', String(others.length),
        others.length === 1 ? ' other peer' : ' other peers', ' and reaches ', String(routes.length), '.'),
      graph(status),
      h('h2', {}, 'Peers'),
      h('ul', { class: 'peers', testid: 'peers' }, others.length ? others.map(p => h('li', { testid: 'peer', dataset: { peer: p.name } },
        h('code', {}, p.name), p.nickName ? ' ' + p.nickName : '', ' · ', String((p.connections || []).length), ' connections',
        status.routes && status.routes[p.name] ? ' · via ' + (status.routes[p.name] === p.name ? 'a direct link' : status.routes[p.name]) : ' · no route'))
        : h('li', { class: 'muted' }, 'No other peer yet. Start another server with -b pointing at this one.')),
      h('h2', {}, 'Connections of this server'),
      table(['peer', 'address', 'direction', 'state'], (status.connections || []).map(c =>
        [c.name, c.address, c.outbound ? 'outbound' : 'inbound', c.established ? 'established' : 'connecting']), 'connections'),
      h('h2', {}, 'Routes'),
      table(['to', 'next hop'], routes.map(([to, via]) => [to, via]), 'routes'));
  }
  load();
  // With a key in the page the status is signed silently, so it is kept fresh; an extension
  // would ask the user every time, so then it is refreshed only on request.
  const timer = signer.canSignSilently ? setInterval(load, 10000) : null;
  return { refresh() {}, dispose() { if (timer) clearInterval(timer); } };
}

function table(heads, rows, testid) {
  if (!rows.length) return h('p', { class: 'muted' }, 'None.');
  return h('div', { class: 'scroll' }, h('table', { testid },
    h('thead', {}, h('tr', {}, heads.map(x => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map(r => h('tr', {}, r.map(c => h('td', {}, h('code', {}, c))))))));
}

/** Nodes on a circle, this server first; a line per link, dashed while not established. */
function graph(status) {
  const names = [status.name, ...(status.peers || []).map(p => p.name).filter(n => n !== status.name)];
  const nick = new Map((status.peers || []).map(p => [p.name, p.nickName]));
  const at = new Map();
  const r = names.length > 1 ? SIZE / 2 - (names.length > 24 ? 20 : 60) : 0;
  names.forEach((n, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / names.length;
    at.set(n, [SIZE / 2 + r * Math.cos(a), SIZE / 2 + r * Math.sin(a)]);
  });
  const links = new Map();
  for (const p of status.peers || []) {
    for (const c of p.connections || []) {
      if (!at.has(c.name)) continue;
      const key = [p.name, c.name].sort().join(' ');
      links.set(key, (links.get(key) || false) || c.established);
    }
  }
  for (const c of status.connections || []) {
    if (!at.has(c.name)) continue;
    const key = [status.name, c.name].sort().join(' ');
    links.set(key, (links.get(key) || false) || c.established);
  }
  const svg = h('svg:svg', { viewBox: '0 0 ' + SIZE + ' ' + SIZE, class: 'overlay', role: 'img', 'data-testid': 'overlay-graph',
    'aria-label': 'The overlay: ' + names.length + ' peers, ' + links.size + ' links' });
  for (const [key, established] of links) {
    const [a, b] = key.split(' ').map(n => at.get(n));
    svg.append(h('svg:line', { x1: a[0], y1: a[1], x2: b[0], y2: b[1], class: established ? 'link' : 'link pending' }));
  }
  // Past a couple of dozen peers the labels would overlap: smaller circles, names on hover only.
  const crowded = names.length > 24;
  names.forEach((n, i) => {
    const [x, y] = at.get(n);
    svg.append(h('svg:g', { class: i === 0 ? 'node self' : 'node' },
      h('svg:circle', { cx: x, cy: y, r: crowded ? 5 : 16 }),
      crowded ? null : h('svg:text', { x, y: y + 32, 'text-anchor': 'middle' }, n.slice(-8)),
      h('svg:title', {}, n + (nick.get(n) ? ' (' + nick.get(n) + ')' : '') + (i === 0 ? ', this server' : ''))));
  });
  return h('figure', { class: 'card graph' }, svg, h('figcaption', { class: 'muted small' },
    'Each circle is a server (yours is filled); each line a connection between two, dashed while it is being set up.'));
}
