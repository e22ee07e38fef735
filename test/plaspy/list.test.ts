// GET /api/users has no paging, so the server streams it a batch at a time: these lists span several batches,
// with ties on `creation` across a batch's edge, next to another account of the same size.
import { once } from 'node:events'
import { get as httpGet, type IncomingMessage } from 'node:http'
import { text } from 'node:stream/consumers'
import { setTimeout as delay } from 'node:timers/promises'
import t from 'tap'
import { LIST_BATCH } from '../../src/plaspy/users.js'
import type { App } from '../../src/app.js'
import { LIST_TURNS } from '../../src/plaspy/index.js'
import { build, plaspyClient } from '../helper.js'

/** `count` users in the account of `userId`, half of them created in the same millisecond. */
async function fill (app: App, userId: string, count: number, prefix: string) {
  const { accountId } = await app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: userId } })
  const tie = new Date('2026-01-01T00:00:00.000Z')
  await app.db.prisma.plaspyUser.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      id: `usr-${prefix}${String(count - i).padStart(6, '0')}`, // ids against insertion order, so only the ORDER BY sorts them
      accountId,
      name: `${prefix} ${i}`,
      email: `${prefix}${i}@example.com`,
      country: 'Argentina',
      timeZone: 'UTC',
      privileges: ['read'],
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      creation: i % 2 === 0 ? tie : new Date(tie.getTime() + i * 1000)
    }))
  })
  return accountId
}

t.test('every user of the account, once each, in (creation, id) order, and none of another account', async (t) => {
  const app = await build(t)
  const mine = await plaspyClient(app, { accountName: 'mine' })
  const theirs = await plaspyClient(app, { accountName: 'theirs' })
  const count = 2 * LIST_BATCH + 7
  const accountId = await fill(app, mine.user_id, count, 'a')
  await fill(app, theirs.user_id, count, 'b')

  const response = await mine.inject({ url: '/api/users' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json; charset=utf-8/)
  const body = response.json()
  t.match(body, { success: true, apiUsage: Number, apiDailyUsage: Number })
  const expected = await app.db.prisma.plaspyUser.findMany({ where: { accountId }, orderBy: [{ creation: 'asc' }, { id: 'asc' }], select: { id: true } })
  t.equal(body.users.length, count + 1, 'the filled users and the caller')
  t.same(body.users.map((user: { id: string }) => user.id), expected.map((user) => user.id), 'in (creation, id) order, none twice, none missing')
  t.notOk(body.users.some((user: { name: string }) => user.name.startsWith('b ')), 'no user of the other account')
  t.notOk(response.body.includes('argon2'), 'no password hash')
  const single = await mine.inject({ url: `/api/users/${body.users[LIST_BATCH + 1].id}` })
  const { success: _s, apiUsage: _u, apiDailyUsage: _d, ...user } = single.json()
  t.same(body.users[LIST_BATCH + 1], user, 'a user of a later batch reads as GET /api/users/{id} answers it')
})

t.test('over HTTP the list is sent as it is read, and a client that stops reading holds nobody up', async (t) => {
  const app = await build(t)
  const mine = await plaspyClient(app, { accountName: 'mine' })
  const theirs = await plaspyClient(app, { accountName: 'theirs' })
  await fill(app, mine.user_id, 20 * LIST_BATCH, 'a')
  const url = await app.listen({ host: '127.0.0.1', port: 0 })

  const response = await get(`${url}/api/users`, mine.token)
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-length'], undefined, 'no length: the body is streamed')
  t.equal(response.headers['transfer-encoding'], 'chunked')
  response.pause() // and read no further

  const started = performance.now()
  const other = await get(`${url}/api/users/${theirs.user_id}`, theirs.token)
  t.equal(other.statusCode, 200, 'another account is answered meanwhile')
  t.ok(performance.now() - started < 2000, 'promptly')
  other.resume()
  response.destroy()

  const whole = await get(`${url}/api/users`, mine.token)
  t.equal((JSON.parse(await text(whole)) as { users: unknown[] }).users.length, 20 * LIST_BATCH + 1, 'read to the end, the body is complete')
})

t.test(`an account streams ${LIST_TURNS.running} lists at once, ${LIST_TURNS.waiting} more wait their turn, one more is a 429; other accounts list meanwhile`, async (t) => {
  const app = await build(t)
  const mine = await plaspyClient(app, { accountName: 'mine' })
  const theirs = await plaspyClient(app, { accountName: 'theirs' })
  // About 8 MB of JSON, twice what the sockets of a reader that stops take in (4 MB here): it holds its turn.
  const count = 40 * LIST_BATCH
  await fill(app, mine.user_id, count, 'a')
  const url = await app.listen({ host: '127.0.0.1', port: 0 })

  const stalled = await Promise.all(Array.from({ length: LIST_TURNS.running }, () => get(`${url}/api/users`, mine.token)))
  for (const response of stalled) response.pause()
  t.same(stalled.map((response) => response.statusCode), Array(LIST_TURNS.running).fill(200))

  const line = Array.from({ length: LIST_TURNS.waiting + 1 }, () => open(`${url}/api/users`, mine.token))
  const [refused] = line.splice(await Promise.race(line.map(({ response }, i) => response.then(() => i))), 1)
  const first = await refused!.response
  t.equal(first.statusCode, 429, 'the one past the line is answered at once')
  t.equal(first.headers['retry-after'], '1')
  const refusal = await text(first)
  t.match(first.statusCode === 429 && JSON.parse(refusal), { success: false, error: 'Too many requests. Retry in 1 seconds.' }, "in Plaspy's envelope")
  const answered = await Promise.race([Promise.all(line.map(({ response }) => response.then(() => 1))).then(() => 'all'), delay(300).then(() => 'waiting')])
  t.equal(answered, 'waiting', `the other ${LIST_TURNS.waiting} wait their turn`)

  const other = await get(`${url}/api/users`, theirs.token)
  t.equal(other.statusCode, 200, 'another account lists meanwhile')
  t.equal((JSON.parse(await text(other)) as { users: unknown[] }).users.length, 1)

  line.at(-1)!.request.destroy() // a client gone while it waits: its turn, when it comes, ends at once
  for (const response of stalled) response.destroy()
  const statuses = await Promise.all(line.map(async ({ request, response }) => {
    const answer = await response.catch(() => undefined)
    if (answer === undefined) return 'gone'
    if (answer.statusCode === 200) request.destroy() // it had its turn; ending it gives the next theirs
    return answer.statusCode
  }))
  t.equal(statuses.filter((status) => status === 200).length, LIST_TURNS.waiting - 1, 'each waiting list had its turn')

  const whole = await Promise.race([get(`${url}/api/users`, mine.token), delay(5000).then(() => undefined)])
  t.equal(whole?.statusCode, 200, 'every turn ended: the account lists again at once')
  t.equal((JSON.parse(await text(whole!)) as { users: unknown[] }).users.length, count + 1, 'the whole list')
})

t.test('a client that takes none of its list for listIdleTimeoutMs is disconnected, ending its turn; one that reads slowly is not', async (t) => {
  const app = await build(t, { listIdleTimeoutMs: 500 })
  const mine = await plaspyClient(app, { accountName: 'mine' })
  const count = 40 * LIST_BATCH // more than a reader's sockets take in (see above)
  await fill(app, mine.user_id, count, 'a')
  const url = await app.listen({ host: '127.0.0.1', port: 0 })

  const stalled = await Promise.all(Array.from({ length: LIST_TURNS.running }, () => get(`${url}/api/users`, mine.token)))
  for (const response of stalled) response.pause() // it learns of the close only once it reads what it holds
  const next = await Promise.race([get(`${url}/api/users`, mine.token), delay(10_000).then(() => undefined)])
  t.equal(next?.statusCode, 200, 'the server closed both connections idle for 500 ms: the account lists again')
  next?.destroy()

  const slow = await get(`${url}/api/users`, mine.token)
  const started = performance.now()
  let body = ''
  let pausedAt = 0
  for await (const chunk of slow.setEncoding('utf8')) {
    body += chunk
    if (body.length - pausedAt > 1_000_000) { // a pause shorter than the timeout, after each megabyte
      pausedAt = body.length
      await delay(300)
    }
  }
  t.ok(performance.now() - started > 1000, 'a slow reader took longer than the timeout, twice over')
  t.equal((JSON.parse(body) as { users: unknown[] }).users.length, count + 1, 'and got the whole list')
  for (const response of stalled) response.destroy()
})

/** A GET on a connection of its own, closed with the answer (fetch's pool would keep spare ones open past close). */
async function get (url: string, token: string): Promise<IncomingMessage> {
  return await open(url, token).response
}

/** A GET whose request can be ended before its answer comes. */
function open (url: string, token: string) {
  const request = httpGet(url, { agent: false, headers: { authorization: `Bearer ${token}` } })
  const response = once(request, 'response').then(([response]) => response as IncomingMessage)
  return { request, response }
}
