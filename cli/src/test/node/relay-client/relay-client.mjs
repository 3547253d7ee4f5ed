// A standard Nostr client built on nostr-tools (with the ws package as its WebSocket), driven by
// RelayWithNostrToolsTest against a NostrP2P server's relay endpoint. One line of output per
// thing that happened, so the Java test can follow along:
//   node relay-client.mjs <ws url> publish <secret key hex> <kind> <content> [tags json]
//       -> "OK <event id>" or "REFUSED <reason>"
//   node relay-client.mjs <ws url> subscribe <filter json> <events to wait for>
//       -> "EVENT <event json>" per event, "EOSE" once, then exits after that many events
// Exit codes: 0 done, 1 refused or failed, 3 timed out (30 s).
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import { finalizeEvent, verifyEvent } from 'nostr-tools/pure'
import { hexToBytes } from '@noble/hashes/utils.js'
import WebSocket from 'ws'

useWebSocketImplementation(WebSocket)
const [url, command, ...args] = process.argv.slice(2)
setTimeout(() => { console.log('TIMEOUT'); process.exit(3) }, 30000).unref()

const relay = await Relay.connect(url)
if (command === 'publish') {
  const [secretHex, kind, content, tags] = args
  const event = finalizeEvent({ kind: Number(kind), created_at: Math.floor(Date.now() / 1000),
    tags: tags ? JSON.parse(tags) : [], content }, hexToBytes(secretHex))
  try {
    await relay.publish(event)
    console.log('OK ' + event.id)
    relay.close()
    process.exit(0)
  } catch (reason) {
    console.log('REFUSED ' + String(reason && reason.message ? reason.message : reason))
    relay.close()
    process.exit(1)
  }
} else if (command === 'subscribe') {
  const [filter, wanted] = args
  let count = 0
  let done = false
  relay.subscribe([JSON.parse(filter)], {
    onevent (event) {
      if (!verifyEvent(event)) { console.log('BADSIG ' + event.id); process.exit(1) }
      console.log('EVENT ' + JSON.stringify(event))
      if (++count >= Number(wanted)) { done = true; relay.close(); process.exit(0) }
    },
    oneose () { console.log('EOSE') },
    onclose (reason) { if (!done) { console.log('CLOSED ' + reason); process.exit(1) } }
  })
} else {
  console.log('unknown command ' + command)
  process.exit(2)
}
