// Several stateless instances on one database: two server processes share the database (a Postgres schema
// with TEST_DATABASE=postgres, else one SQLite file) and the rate-limit counters (Redis). Shown: Plaspy usage
// counters exact across both, concurrent Roam updates from both never lost, one rate limit across both.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { Redis } from 'ioredis'
import { openDatabase } from '../src/db/client.js'
import { testDatabaseUrl } from './helpers/database.js'
import { mint } from './helpers/command.js'
import { startServer } from './helpers/server.js'

// Real processes: more than tap's default 30 s under a parallel run.
t.setTimeout(180_000)

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const limit = 30

/** Redis at `redisUrl`, or undefined when it does not answer. */
async function redisOrNothing (): Promise<Redis | undefined> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
    return redis
  } catch {
    redis.disconnect()
    return undefined
  }
}

const redis = await redisOrNothing()
if (redis === undefined && process.env.CI === 'true') {
  t.fail(`Redis at ${redisUrl} is unreachable: under CI the two-instance test fails rather than skips`)
} else if (redis === undefined) {
  t.plan(0, `Redis at ${redisUrl} is unreachable (start it, or set TEST_REDIS_URL)`) // a skip, as TAP says it
} else {
  t.teardown(() => redis.quit())
  t.test('two instances, one database, one Redis', async (t) => {
    const databaseUrl = await testDatabaseUrl(t)
    const prefix = `tracker-users-test:${randomBytes(6).toString('hex')}:`
    t.teardown(async () => {
      const keys = await redis.keys(`${prefix}*`)
      if (keys.length > 0) await redis.del(...keys)
    })
    const roamKey = await mint(databaseUrl, 'roam-key', 'create', '--account', 'acme')
    const login = await mint(databaseUrl, 'plaspy-user', 'create', '--account', 'acme', '--user', 'jane', '--email', 'jane@example.com')
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, RATE_LIMIT_MAX: String(limit), RATE_LIMIT_WINDOW_SECONDS: '300', RATE_LIMIT_PREFIX: prefix }
    const [a, b] = await Promise.all([startServer(t, env), startServer(t, env)])
    const instances = [a!.base, b!.base]
    const on = (i: number) => instances[i % 2]!

    t.test('Plaspy: N requests spread over both get apiUsage 1..N exactly; the limit is shared', async (t) => {
      const { token } = await (await fetch(`${a!.base}/api/Auth/Token`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: login.userName, apiKey: login.api_key })
      })).json() as { token: string }
      const auth = { authorization: `Bearer ${token}` }
      const responses = await Promise.all(Array.from({ length: limit }, (_, i) => fetch(`${on(i)}/api/users/countries`, { headers: auth })))
      t.same(responses.map((response) => response.status), Array(limit).fill(200), `all ${limit} within the limit`)
      const usage = await Promise.all(responses.map(async (response) => ((await response.json()) as { apiUsage: number }).apiUsage))
      t.same(usage.sort((x, y) => x - y), Array.from({ length: limit }, (_, i) => i + 1), 'exactly 1..N, no value twice, none lost')

      for (const base of instances) {
        const throttled = await fetch(`${base}/api/users/countries`, { headers: auth })
        t.equal(throttled.status, 429, 'the next request is refused on either instance')
        t.match(throttled.headers.get('retry-after'), /^\d+$/)
        t.match(await throttled.json(), { success: false, error: /^Too many requests/ })
      }
    })

    t.test('Roam: concurrent updates through both instances are never lost; the limit is shared', async (t) => {
      const headers = { 'content-type': 'application/json', 'api-key': roamKey.api_key }
      const n = 12
      const ids = await Promise.all(Array.from({ length: n }, async (_, i) => {
        const response = await fetch(`${on(i)}/v1/api/user/`, { method: 'POST', headers, body: JSON.stringify({ app_type: 1, device_token: `device-${i}`, description: `user ${i}`, metadata: {} }) })
        t.equal(response.status, 201)
        return ((await response.json()) as { data: { user_id: string } }).data.user_id
      }))
      // Each user updated once, through the other instance than created it, all at the same time.
      const updates = await Promise.all(ids.map((id, i) => fetch(`${on(i + 1)}/v1/api/user/`, {
        method: 'PUT', headers, body: JSON.stringify({ user_id: id, description: `updated ${i}`, metadata: { n: i, via: on(i + 1) } })
      })))
      t.same(updates.map((response) => response.status), Array(n).fill(200))

      const db = await openDatabase(databaseUrl, { prisma: true })
      t.teardown(() => db.close())
      const stored = await db.prisma.roamUser.findMany({ where: { projectId: roamKey.project_id }, select: { id: true, description: true, metadata: true } })
      t.equal(stored.length, n)
      const byId = new Map(stored.map((user) => [user.id, user]))
      ids.forEach((id, i) => t.same(byId.get(id), { id, description: `updated ${i}`, metadata: { n: i, via: on(i + 1) } }, `update ${i} is there`))

      const rest = limit - 2 * n
      const more = await Promise.all(Array.from({ length: rest }, (_, i) => fetch(`${on(i)}/v1/api/user/?user_id=${ids[i]}`, { headers })))
      t.same(more.map((response) => response.status), Array(rest).fill(200), `requests up to the limit of ${limit} succeed`)
      for (const base of instances) {
        const throttled = await fetch(`${base}/v1/api/user/?user_id=${ids[0]}`, { headers })
        t.equal(throttled.status, 429, 'then either instance refuses')
        t.match(throttled.headers.get('retry-after'), /^\d+$/)
        t.match(await throttled.json(), { status: false, msg: 'Request was throttled.', code: 429, error: { ErrorCode: 'GS400' } })
      }
    })
  })
}
