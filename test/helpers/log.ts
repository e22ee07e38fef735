// A log the tests read: every byte a logger writes, as one string, and as parsed JSON lines.
import { Writable } from 'node:stream'

export function captureLog () {
  let text = ''
  const stream = new Writable({ write (chunk, _encoding, done) { text += String(chunk); done() } })
  return { stream, text: () => text, lines: () => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) }
}
