// The server's REST API, same origin: POST /req (MessagePack answers), POST /publish, GET /status.
const V = () => window.NostrVendor;
const utf8 = new TextDecoder('utf-8', { fatal: false });
const HEX = /^[0-9a-f]{64}$/;

/** Limits for decoding an answer: a bad or hostile answer fails, it never exhausts the page. */
const DECODE_LIMITS = { maxStrLength: 1 << 20, maxBinLength: 1 << 20, maxArrayLength: 100000, maxMapLength: 64, maxExtLength: 0 };

/** A request the server refused (status >= 400, with its reason) or could not be reached (status 0). */
export class ServerError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function hex(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Turns one decoded Go-style event map into a NIP-01 event (sig absent: the server leaves it out). */
function toEvent(m) {
  if (!m || !(m.Id instanceof Uint8Array) || !(m.Pubkey instanceof Uint8Array)) return null;
  const tags = Array.isArray(m.Tags) ? m.Tags.filter(Array.isArray).map(t => t.map(x => x instanceof Uint8Array ? utf8.decode(x) : String(x))) : [];
  const event = {
    id: hex(m.Id), pubkey: hex(m.Pubkey), created_at: Math.floor(Number(m.Created_at) || 0),
    kind: Number(m.Kind) || 0, tags, content: typeof m.Content === 'string' ? m.Content : '',
  };
  return HEX.test(event.id) && HEX.test(event.pubkey) ? event : null;
}

async function call(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ServerError(0, 'cannot reach your server at ' + location.origin);
  }
  if (!response.ok) {
    let reason = response.statusText || ('HTTP ' + response.status);
    try {
      const body = await response.json();
      if (body && body.Error) reason = body.Error;
    } catch (e) { /* not JSON: keep the status text */ }
    throw new ServerError(response.status, reason);
  }
  return response;
}

/** POST /req with a NIP-01 filter; resolves to the events answered. */
export async function req(filter) {
  const response = await call('/req', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(filter),
  });
  const decoded = V().msgpackDecode(new Uint8Array(await response.arrayBuffer()), DECODE_LIMITS);
  const list = decoded && Array.isArray(decoded.Evts) ? decoded.Evts : [];
  return list.map(toEvent).filter(Boolean);
}

/** POST /publish a signed event; rejects with the server's reason when refused. */
export async function publish(event) {
  await call('/publish', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event),
  });
}

/** GET /status with a NIP-98 header signed by signer (the server answers only its owner). */
export async function status(signer) {
  const url = location.origin + '/status';
  const auth = await signer.sign({ kind: 27235, created_at: Math.floor(Date.now() / 1000), tags: [['u', url], ['method', 'GET']], content: '' });
  const bytes = new TextEncoder().encode(JSON.stringify(auth));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const response = await call('/status', { headers: { Authorization: 'Nostr ' + btoa(binary) } });
  return response.json();
}
