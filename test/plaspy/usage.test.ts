import t from 'tap'
import { build, plaspyClient } from '../helper.js'
import { createUser, minimal } from '../helpers/plaspy.js'

type Usage = { apiUsage: number, apiDailyUsage: number }

function usageOf (body: string): Usage {
  const { apiUsage, apiDailyUsage } = JSON.parse(body) as Usage
  return { apiUsage, apiDailyUsage }
}

t.test('N concurrent requests move the counters by exactly N, each response with a value of its own', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client)
  const start = usageOf((await client.inject({ method: 'GET', url: '/api/users/countries' })).body)
  // Reads and writes, successes and errors: every authenticated request counts.
  const requests = [
    { method: 'GET' as const, url: '/api/users' },
    { method: 'GET' as const, url: `/api/users/${id}` },
    { method: 'GET' as const, url: '/api/users/usr-unknown' },
    { method: 'PUT' as const, url: `/api/users/${id}`, payload: minimal },
    { method: 'PATCH' as const, url: `/api/users/${id}`, payload: [{ op: 'test', path: '/name', value: 'nobody' }] }
  ]
  const n = 60
  const responses = await Promise.all(Array.from({ length: n }, (_, i) => client.inject(requests[i % requests.length]!)))

  const totals = responses.map((response) => usageOf(response.body).apiUsage)
  const dailies = responses.map((response) => usageOf(response.body).apiDailyUsage)
  t.equal(new Set(totals).size, n, 'no two responses show the same apiUsage')
  t.same([...totals].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => start.apiUsage + 1 + i), 'exactly the next N values')
  t.same([...dailies].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => start.apiDailyUsage + 1 + i), 'today\'s counter too')
  const stored = await app.db.prisma.plaspyUsage.findUniqueOrThrow({ where: { userId: client.user_id } })
  t.equal(stored.total, start.apiUsage + n)
  t.equal(stored.daily, start.apiDailyUsage + n)
})

t.test('the counters start at 1, count the current request and belong to the token\'s user', async (t) => {
  const app = await build(t)
  const jane = await plaspyClient(app)
  const john = await plaspyClient(app)
  const countries = (client: typeof jane) => client.inject({ method: 'GET', url: '/api/users/countries' })
  t.same(usageOf((await countries(jane)).body), { apiUsage: 1, apiDailyUsage: 1 }, 'the first request is counted in its own answer')
  t.same(usageOf((await countries(jane)).body), { apiUsage: 2, apiDailyUsage: 2 })
  t.same(usageOf((await countries(john)).body), { apiUsage: 1, apiDailyUsage: 1 }, 'another user has counters of its own')
})

t.test('every answer after authentication carries the counters; 401 and Auth/Token neither carry nor count', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client)
  let expected = 1 // createUser's request
  const answers = [
    { status: 400, request: { method: 'PUT' as const, url: `/api/users/${id}`, payload: { name: 'x' } } },
    { status: 400, request: { method: 'PATCH' as const, url: `/api/users/${id}`, payload: [{ op: 'remove', path: '/id' }] } },
    { status: 400, request: { method: 'DELETE' as const, url: `/api/users/${client.user_id}` } },
    { status: 404, request: { method: 'GET' as const, url: '/api/users/usr-0000000000000000' } },
    { status: 409, request: { method: 'POST' as const, url: '/api/users', payload: minimal } },
    { status: 415, request: { method: 'PUT' as const, url: `/api/users/${id}`, headers: { 'content-type': 'text/plain' }, payload: 'x' } },
    { status: 200, request: { method: 'GET' as const, url: '/api/users/timeZones' } }
  ]
  for (const { status, request } of answers) {
    const response = await client.inject(request)
    t.equal(response.statusCode, status, `${request.method} ${request.url}`)
    t.same(usageOf(response.body), { apiUsage: ++expected, apiDailyUsage: expected }, `${status} carries the counters`)
  }

  await app.db.prisma.plaspyUser.update({ where: { id: client.user_id }, data: { privileges: [] } })
  const forbidden = await client.inject({ method: 'GET', url: '/api/users' })
  t.equal(forbidden.statusCode, 403)
  t.same(usageOf(forbidden.body), { apiUsage: ++expected, apiDailyUsage: expected }, '403 carries the counters')

  const unauthenticated = await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: 'Bearer nope' } })
  t.equal(unauthenticated.statusCode, 401)
  t.same(Object.keys(unauthenticated.json()).sort(), ['error', 'success'], 'a 401 has no principal to count')
  const token = await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: client.userName, apiKey: client.api_key } })
  t.same(Object.keys(token.json()).sort(), ['expires', 'success', 'token'])
  const stored = await app.db.prisma.plaspyUsage.findUniqueOrThrow({ where: { userId: client.user_id } })
  t.equal(stored.total, expected, 'neither was counted')
})

t.test('apiDailyUsage starts again at each UTC midnight; apiUsage goes on', async (t) => {
  let now = new Date('2026-03-01T23:59:59.998Z')
  const app = await build(t, { clock: () => now, tokenTtlSeconds: 7 * 24 * 60 * 60 })
  const client = await plaspyClient(app)
  const get = async () => usageOf((await client.inject({ method: 'GET', url: '/api/users/countries' })).body)

  t.same(await get(), { apiUsage: 1, apiDailyUsage: 1 })
  now = new Date('2026-03-01T23:59:59.999Z')
  t.same(await get(), { apiUsage: 2, apiDailyUsage: 2 }, 'still the same day')
  now = new Date('2026-03-02T00:00:00.000Z')
  t.same(await get(), { apiUsage: 3, apiDailyUsage: 1 }, 'a new day')
  t.same(await get(), { apiUsage: 4, apiDailyUsage: 2 })
  now = new Date('2026-03-05T10:00:00Z')
  t.same(await get(), { apiUsage: 5, apiDailyUsage: 1 }, 'after days without requests')

  // A user whose local day differs from UTC's is still counted by the UTC day.
  const put = await client.inject({ method: 'PUT', url: `/api/users/${client.user_id}`, payload: { ...minimal, email: 'me@example.com', timeZone: 'Pacific/Kiritimati' } })
  t.same(usageOf(put.body), { apiUsage: 6, apiDailyUsage: 2 })
  const modified = (await app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: client.user_id } })).modification
  now = new Date('2026-03-05T23:30:00Z') // already 2026-03-06 in Kiritimati (UTC+14)
  t.same(await get(), { apiUsage: 7, apiDailyUsage: 3 }, 'UTC, not the user\'s zone')
  const after = (await app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: client.user_id } })).modification
  t.equal(after.getTime(), modified.getTime(), 'counting leaves the user\'s modification alone')
})
