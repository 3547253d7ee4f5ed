// What the web client needs of its third-party libraries, bundled into one classic script
// that defines window.NostrVendor (no module loader, no network).
export { finalizeEvent, verifyEvent, getPublicKey, getEventHash } from 'nostr-tools/pure'
export * as nip19 from 'nostr-tools/nip19'
export * as nip49 from 'nostr-tools/nip49'
export { decode as msgpackDecode } from '@msgpack/msgpack'
