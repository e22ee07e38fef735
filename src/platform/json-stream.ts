// An answer whose list has no paging (Plaspy's List Users): written a batch at a time as the client reads it,
// so that its size costs neither the server's memory nor other requests' turns on the event loop. Node's own
// streams do the work; what no package does is splice batches into a body the route's schema serializes.
import { Readable } from 'node:stream'
import { setImmediate as turn } from 'node:timers/promises'

/**
 * Items per string written. A batch's answer joined into one string would be hundreds of KB, which V8 allocates in
 * its large-object space: that is freed only by a full collection, so the process grew by 40-60 MB while a long
 * list was sent. Strings of a hundred items stay small, and die young.
 */
const CHUNK_ITEMS = 100

/**
 * A JSON body: `emptyBody` (the answer serialized with its list empty, and that list last) with each of
 * `batches` written into the list. The first batch is read before anything is sent, so that a failure there
 * is still an error answer; the rest only as fast as the client reads the body, one batch at a time, each
 * after giving other requests a turn. A client that stops reading stops it; one that goes away ends it.
 */
export async function streamList<T> (emptyBody: string, batches: AsyncIterable<readonly T[]>, serializeItem: (item: T) => string): Promise<Readable> {
  if (!emptyBody.endsWith('[]}')) throw new Error('the streamed list must be the last property of the body')
  const iterator = batches[Symbol.asyncIterator]()
  const first = await iterator.next()
  async function * body () {
    try {
      yield emptyBody.slice(0, -2)
      let separator = ''
      for (let next = first; next.done !== true; next = await iterator.next()) {
        for (let start = 0; start < next.value.length; start += CHUNK_ITEMS) {
          yield separator + next.value.slice(start, start + CHUNK_ITEMS).map(serializeItem).join(',')
          separator = ','
        }
        await turn()
      }
      yield ']}'
    } finally {
      await iterator.return?.()
    }
  }
  return Readable.from(body(), { objectMode: false })
}
