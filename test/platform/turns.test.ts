// Turns per key: a few run, the next wait in order of arrival, one more is refused with a 429; keys are apart.
import { setImmediate as turn } from 'node:timers/promises'
import t from 'tap'
import { ApiError } from '../../src/platform/errors.js'
import { Turns } from '../../src/platform/turns.js'

/** Takes a turn and records, in `started`, when it began. */
function take (turns: Turns, key: string, name: string, started: string[]) {
  return turns.take(key).then((end) => { started.push(name); return end })
}

t.test('two run, the next two wait and start in order as turns end, the fifth is refused', async (t) => {
  const turns = new Turns({ running: 2, waiting: 2 })
  const started: string[] = []
  const [endA, endB] = await Promise.all([take(turns, 'k', 'a', started), take(turns, 'k', 'b', started)])
  const c = take(turns, 'k', 'c', started)
  const d = take(turns, 'k', 'd', started)
  const refused = await turns.take('k').catch((error: unknown) => error)
  t.match(refused, { kind: 'rate_limited', statusCode: 429, retryAfterSeconds: 1 }, 'the line is full')
  await turn()
  t.same(started, ['a', 'b'], 'c and d wait')

  endB!()
  const endC = await c
  t.same(started, ['a', 'b', 'c'], 'the first in line takes the ended turn')
  endB!() // a second call ends nothing
  await turn()
  t.same(started, ['a', 'b', 'c'], 'd still waits: ending a turn twice frees one turn')

  const e = take(turns, 'k', 'e', started) // the line has room again
  endA!()
  endC()
  const [endD, endE] = await Promise.all([d, e])
  t.same(started, ['a', 'b', 'c', 'd', 'e'], 'in order of arrival')
  endD()
  endE()
  t.equal(turns.size, 0, 'a key with no turns left is forgotten')
})

t.test("one key's full line leaves another key's turns alone", async (t) => {
  const turns = new Turns({ running: 1, waiting: 0 })
  const end = await turns.take('busy')
  const refused = await turns.take('busy').catch((error: unknown) => error)
  t.ok(refused instanceof ApiError && refused.kind === 'rate_limited', 'the busy key is refused')
  const other = await turns.take('quiet')
  t.equal(turns.size, 2)
  end()
  other()
  t.equal(turns.size, 0)
})
