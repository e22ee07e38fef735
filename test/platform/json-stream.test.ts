// A streamed list is the same JSON a serialized answer would be, and reads its source only as fast as the
// client reads the body.
import { text } from 'node:stream/consumers'
import t from 'tap'
import { streamList } from '../../src/platform/json-stream.js'

const EMPTY = '{"ok":true,"items":[]}'

/** Batches of numbers, counting how many were read and whether the reading was ended. */
function source (batches: number[][]) {
  const seen = { reads: 0, ended: false }
  async function * read () {
    try {
      for (const batch of batches) {
        seen.reads++
        yield batch
      }
    } finally {
      seen.ended = true
    }
  }
  return { seen, batches: read() }
}

t.test('the body is the serialized answer with every batch in its list, in order', async (t) => {
  const long = Array.from({ length: 250 }, (_, i) => i) // written in three strings
  for (const batches of [[], [[]], [[1]], [[1, 2], [], [3], [4, 5, 6]], [[], [1]], [long, [250], long]]) {
    const body = await text(await streamList(EMPTY, source(batches).batches, String))
    t.same(JSON.parse(body), { ok: true, items: batches.flat() }, JSON.stringify(batches).slice(0, 40))
  }
})

t.test('the first batch is read before anything is sent, so its failure is still an error answer', async (t) => {
  async function * failing (): AsyncGenerator<number[]> { throw new Error('database down') }
  await t.rejects(streamList(EMPTY, failing(), String), /database down/)
})

t.test('a client that stops reading stops the reads; one that goes away ends them', async (t) => {
  const batch = Array.from({ length: 100 }, (_, i) => i) // ~50 KB a batch, written as one string: beyond the stream's buffer
  const { seen, batches } = source(Array.from({ length: 100 }, () => batch))
  const stream = await streamList(EMPTY, batches, (i) => String(i).padStart(500, '0'))
  t.equal(seen.reads, 1, 'only the first batch is read before the body is')
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.ok(seen.reads <= 2, `nothing read while nobody reads the body (${seen.reads} batches)`)
  for (let chunk = 0; chunk < 4; chunk++) {
    stream.read()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  t.ok(seen.reads >= 2 && seen.reads <= 5, `each chunk read lets about one batch follow (${seen.reads} batches after 4 reads)`)
  stream.destroy()
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.ok(seen.ended, 'the source was ended')
  t.ok(seen.reads < 10, `and read no further (${seen.reads} of 100 batches)`)
})

t.test('a batch is written a hundred items at a time, never as one string of hundreds of KB (V8 frees those late)', async (t) => {
  const item = '"' + 'x'.repeat(998) + '"' // 1 KB
  const stream = await streamList(EMPTY, source([Array.from({ length: 1000 }, (_, i) => i)]).batches, () => item)
  const lengths: number[] = []
  let body = ''
  for await (const chunk of stream) {
    lengths.push(chunk.length)
    body += chunk
  }
  t.equal((JSON.parse(body) as { items: unknown[] }).items.length, 1000, 'the whole batch')
  t.ok(Math.max(...lengths) <= 100 * 1000 + 100, `each string at most a hundred items (largest: ${Math.max(...lengths)} bytes of a 1 MB batch)`)
})

t.test('only a body whose list is its last property can be streamed', async (t) => {
  await t.rejects(streamList('{"items":[],"ok":true}', source([[1]]).batches, String), /last property/)
})
