// Signs NIP-01 events with nostr-tools (another implementation than ours) and prints them as
// JSON, with the exact serialization nostr-tools hashed. Our tests check that our computeId
// and verify agree with every one (EventsAgainstNostrToolsTest).
//
// Re-run (Node 18+ and the npm registry):
//   model=$PWD/nostr-model; cd "$(mktemp -d)" && npm init -y >/dev/null && npm install nostr-tools@2.25.2
//   cp "$model/src/test/node/sign-vectors.mjs" . && node sign-vectors.mjs \
//     > "$model/src/test/resources/nostr-tools/signed-events.json"
// (the script runs next to node_modules; node_modules is never committed).
// Signatures use fresh randomness, so a re-run gives other signatures for the same ids.
import { finalizeEvent, getPublicKey, serializeEvent, verifyEvent } from 'nostr-tools/pure'
import { hexToBytes } from '@noble/hashes/utils.js'
import { readFileSync } from 'node:fs'

const version = JSON.parse(readFileSync('node_modules/nostr-tools/package.json', 'utf8')).version

// Fixed keys so the pubkeys are stable between runs (never use these for anything real).
const keys = [
  '67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa',
  '0000000000000000000000000000000000000000000000000000000000000003',
  'b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef',
]

const id64 = 'a'.repeat(64)
const cases = [
  { name: 'plain post', kind: 1, tags: [], content: 'hello, NostrP2P' },
  { name: 'empty content', kind: 1, tags: [], content: '' },
  { name: 'quotes and backslashes', kind: 1, tags: [], content: 'she said "hi" \\ and \\"left\\" \\\\' },
  { name: 'newlines tabs and returns', kind: 1, tags: [], content: 'line 1\nline 2\r\n\tindented\n\n' },
  { name: 'backspace and form feed', kind: 1, tags: [], content: 'a\bb\fc' },
  { name: 'control characters', kind: 1, tags: [], content: 'nul\u0000 soh\u0001 us\u001f del\u007f esc\u001b vt\u000b' },
  { name: 'every C0 control', kind: 1, tags: [], content: Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') },
  { name: 'emoji', kind: 1, tags: [], content: '🌏🚀👩‍👩‍👧‍👦 ok 👍🏽' },
  { name: 'CJK', kind: 1, tags: [], content: 'こんにちは世界、日本語のテスト。中文测试。한국어' },
  { name: 'line and paragraph separators', kind: 1, tags: [], content: 'a\u2028b\u2029c\u0085d' },
  { name: 'lone surrogates', kind: 1, tags: [], content: 'high \ud800 low \udc00 end' },
  { name: 'html-ish', kind: 1, tags: [], content: '</script><b>&amp;</b> \'single\'' },
  { name: 'reply', kind: 1, tags: [['e', id64, '', 'root'], ['p', keys[0].replace(/./g, 'b')]], content: 'a reply' },
  { name: 'tags with escapes', kind: 1, tags: [['t', 'tab\there'], ['x', 'quote"back\\slash\nnew'], ['q']], content: 'tags' },
  { name: 'profile', kind: 0, tags: [], content: JSON.stringify({ name: 'alice "al"', about: '日本\n🌏', picture: '' }) },
  { name: 'follow list', kind: 3, tags: [['p', 'c'.repeat(64), '', ''], ['p', 'd'.repeat(64), '', '']], content: '' },
  { name: 'like', kind: 7, tags: [['e', id64], ['p', 'e'.repeat(64)]], content: '+' },
  { name: 'repost', kind: 6, tags: [['e', id64, ''], ['p', 'f'.repeat(64)]], content: '{"id":"x","content":"quoted \\"text\\"\\n"}' },
  { name: 'large kind', kind: 40000, tags: [], content: 'k' },
  { name: 'long content', kind: 1, tags: [], content: 'long '.repeat(2000) + '終' },
]

const events = cases.map((c, i) => {
  const sk = hexToBytes(keys[i % keys.length])
  const event = finalizeEvent({ kind: c.kind, created_at: 1732492800 + i, tags: c.tags, content: c.content }, sk)
  if (!verifyEvent(event) || event.pubkey !== getPublicKey(sk)) throw new Error('nostr-tools failed on ' + c.name)
  return { name: c.name, serialized: serializeEvent(event), event }
})

process.stdout.write(JSON.stringify({ generator: 'nostr-tools ' + version, events }, null, 1) + '\n')
