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
  for (const batches of [[], [[]], [[1]], [[1, 2], [], [3], [4, 5, 6]], [[], [1]]]) {
    const body = await text(await streamList(EMPTY, source(batches).batches, String))
    t.same(JSON.parse(body), { ok: true, items: batches.flat() }, JSON.stringify(batches))
  }
})

t.test('the first batch is read before anything is sent, so its failure is still an error answer', async (t) => {
  async function * failing (): AsyncGenerator<number[]> { throw new Error('database down') }
  await t.rejects(streamList(EMPTY, failing(), String), /database down/)
})

t.test('a client that stops reading stops the reads; one that goes away ends them', async (t) => {
  const batch = Array.from({ length: 10_000 }, (_, i) => i) // ~50 KB a batch: beyond the stream's buffer
  const { seen, batches } = source(Array.from({ length: 100 }, () => batch))
  const stream = await streamList(EMPTY, batches, String)
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

t.test('only a body whose list is its last property can be streamed', async (t) => {
  await t.rejects(streamList('{"items":[],"ok":true}', source([[1]]).batches, String), /last property/)
})
