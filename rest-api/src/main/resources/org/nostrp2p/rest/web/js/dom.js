// Small DOM helpers: no view library, no build step.

/**
 * Builds an element: h('a', {href: '#/', class: 'x', onclick: fn, dataset: {testid: 'y'}}, 'text', child).
 * Strings become text nodes (never HTML), null and false children are skipped.
 */
export function h(tag, attrs, ...children) {
  const svg = tag.startsWith('svg:');
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'testid') el.setAttribute('data-testid', value);
    else if (!svg && key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** "3 min", "2 h", "5 d" or a date: how long ago a unix time was. */
export function ago(seconds) {
  const diff = Math.max(0, Date.now() / 1000 - seconds);
  if (diff < 60) return 'now';
  if (diff < 3600) return Math.floor(diff / 60) + ' min';
  if (diff < 86400) return Math.floor(diff / 3600) + ' h';
  if (diff < 7 * 86400) return Math.floor(diff / 86400) + ' d';
  return new Date(seconds * 1000).toLocaleDateString();
}

/** A colour derived from a public key, for the avatar drawn when no picture is shown. */
export function colourOf(pubkey) {
  return 'hsl(' + (parseInt(pubkey.slice(0, 6), 16) % 360) + ' 55% 45%)';
}

export function shortKey(npub) {
  return npub.slice(0, 12) + '…' + npub.slice(-4);
}
