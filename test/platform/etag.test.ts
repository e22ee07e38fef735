// If-Match (src/platform/etag.ts), a pure function: which versions a write must find. No server, no database.
import t from 'tap'
import { etag, readIfMatch } from '../../src/platform/etag.js'

t.test('readIfMatch: the strong tags of our versions; * and no header ask for none', async (t) => {
  for (const [header, versions] of [
    [undefined, undefined],
    ['*', undefined],
    [' * ', undefined],
    ['"3"', [3]],
    ['"3", "7" ,"12"', [3, 7, 12]],
    ['W/"3"', []], // weak: never matches under strong comparison
    ['W/"3", "4"', [4]],
    ['"0"', []], // versions start at 1
    ['"03"', []],
    ['"abc"', []],
    ['""', []],
    ['"2147483647"', [2147483647]],
    ['"2147483648"', []], // over an INTEGER column: none of ours
    ['"99999999999"', []]
  ] as const) {
    t.same(readIfMatch(header), versions, JSON.stringify(header))
  }
})

t.test('etag is what readIfMatch reads back', async (t) => {
  for (const version of [1, 42, 2 ** 31 - 1]) t.same(readIfMatch(etag(version)), [version])
  t.equal(etag(3), '"3"')
})
