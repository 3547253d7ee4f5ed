// Signing happens here, in the page, only: a NIP-07 extension when present, else a secret key
// (nsec, hex, or a NIP-49 ncryptsec with its password) kept in this page's memory, and in this
// tab's session storage only when the user asks. The key is never sent to the server.
const V = () => window.NostrVendor;
const SESSION_KEY = 'nostrp2p.nsec';

let secret = null;      // Uint8Array, local signing only
let method = null;      // 'extension' | 'key'
let pubkey = null;

export const signer = {
  get pubkey() { return pubkey; },
  get method() { return method; },
  get signedIn() { return pubkey != null; },
  get canSignSilently() { return method === 'key'; },
  get remembered() { return sessionStorage.getItem(SESSION_KEY) != null; },

  hasExtension() {
    return typeof window.nostr === 'object' && window.nostr && typeof window.nostr.signEvent === 'function';
  },

  async useExtension() {
    const pk = await window.nostr.getPublicKey();
    if (!/^[0-9a-f]{64}$/.test(pk)) throw new Error('the extension gave no public key');
    secret = null; method = 'extension'; pubkey = pk;
  },

  /** Signs in with an nsec, 64 hex characters, or an ncryptsec and its password. */
  useKey(text, password, remember) {
    const value = text.trim();
    let sk;
    if (value.startsWith('ncryptsec1')) {
      if (!password) throw new Error('an ncryptsec needs its password');
      try {
        sk = V().nip49.decrypt(value, password);
      } catch (e) {
        throw new Error('could not decrypt the ncryptsec: wrong password or a damaged key');
      }
    } else if (value.startsWith('nsec1')) {
      let decoded;
      try { decoded = V().nip19.decode(value); } catch (e) { throw new Error('not a valid nsec: ' + e.message); }
      if (decoded.type !== 'nsec') throw new Error('not an nsec');
      sk = decoded.data;
    } else if (/^[0-9a-fA-F]{64}$/.test(value)) {
      sk = Uint8Array.from(value.match(/../g).map(b => parseInt(b, 16)));
    } else if (value.startsWith('npub1')) {
      throw new Error('that is a public key (npub); signing needs the secret key (nsec)');
    } else {
      throw new Error('enter an nsec1…, an ncryptsec1… or 64 hex characters');
    }
    const pk = V().getPublicKey(sk);
    secret = sk; method = 'key'; pubkey = pk;
    if (remember) sessionStorage.setItem(SESSION_KEY, V().nip19.nsecEncode(sk));
    else sessionStorage.removeItem(SESSION_KEY);
  },

  /** Signs in again from this tab's session storage, if the user asked to be remembered. */
  restore() {
    const nsec = sessionStorage.getItem(SESSION_KEY);
    if (!nsec) return false;
    try { this.useKey(nsec, null, true); return true; } catch (e) { sessionStorage.removeItem(SESSION_KEY); return false; }
  },

  signOut() {
    secret = null; method = null; pubkey = null;
    sessionStorage.removeItem(SESSION_KEY);
  },

  /** Signs an event template {kind, created_at, tags, content}; resolves to the signed event. */
  async sign(template) {
    if (method === 'key') return V().finalizeEvent({ ...template }, secret);
    if (method === 'extension') {
      const signed = await window.nostr.signEvent({ ...template, pubkey });
      if (!V().verifyEvent(signed)) throw new Error('the extension returned an invalid signature');
      return signed;
    }
    throw new Error('sign in first');
  },

  npub(pk) { return V().nip19.npubEncode(pk || pubkey); },
  noteId(id) { return V().nip19.noteEncode(id); },
  decode(bech32) { return V().nip19.decode(bech32); },
};
