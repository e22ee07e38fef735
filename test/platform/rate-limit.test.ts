// Rate limits: per credential once authenticated, per client address for failed authentication; a 429 in
// each dialect's envelope with Retry-After. Counters in memory here (test/scale-out.test.ts shares them
// through Redis between two processes).
import t from 'tap'
import { build, plaspyClient, roamClient } from '../helper.js'
import { testDatabaseUrl } from '../helpers/database.js'
import { failedStart } from '../helpers/server.js'

const limit = { max: 3, failedAuthenticationMax: 3, windowSeconds: 60 }

t.test('Roam: a key\'s project gets `max` requests a window, then GS400 429 with Retry-After', async (t) => {
  const app = await build(t, { rateLimit: limit })
  const acme = await roamClient(app, 'acme')
  const other = await roamClient(app, 'other')
  for (let i = 0; i < limit.max; i++) {
    t.equal((await acme.inject({ method: 'PUT', url: '/v1/api/user/', payload: {} })).statusCode, 400, 'counted, whatever the answer')
  }
  const throttled = await acme.inject({ method: 'PUT', url: '/v1/api/user/', payload: {} })
  t.equal(throttled.statusCode, 429)
  t.match(throttled.headers['retry-after'], /^\d+$/)
  t.ok(Number(throttled.headers['retry-after']) > 0 && Number(throttled.headers['retry-after']) <= 60)
  t.same(throttled.json(), {
    status: false,
    msg: 'Request was throttled.',
    code: 429,
    error: { ErrorCode: 'GS400', ErrorMessage: 'Too many requests', details: `Request was throttled. Expected available in ${throttled.headers['retry-after']} seconds.` }
  })
  t.notOk(throttled.headers['x-ratelimit-limit'], 'no rate-limit headers the vendor does not send')
  t.equal((await other.inject({ method: 'PUT', url: '/v1/api/user/', payload: {} })).statusCode, 400, 'another project has its own limit')
})

t.test('Plaspy: a token\'s user gets `max` requests a window, then 429 in the flat envelope, usage counted', async (t) => {
  const app = await build(t, { rateLimit: limit })
  const jane = await plaspyClient(app)
  const john = await plaspyClient(app)
  for (let i = 0; i < limit.max; i++) t.equal((await jane.inject({ url: '/api/users/countries' })).statusCode, 200)
  const throttled = await jane.inject({ url: '/api/users/countries' })
  t.equal(throttled.statusCode, 429)
  const seconds = throttled.headers['retry-after']
  t.match(seconds, /^\d+$/)
  t.same(throttled.json(), { success: false, error: `Too many requests. Retry in ${seconds} seconds.`, apiUsage: 4, apiDailyUsage: 4 })
  t.equal((await john.inject({ url: '/api/users/countries' })).statusCode, 200, 'another user has a limit of their own')
  t.equal((await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: jane.userName, apiKey: jane.api_key } })).statusCode, 200,
    'buying a token is not a credential\'s request')
})

t.test('failed authentication counts per client address, not per presented key, in both dialects', async (t) => {
  // A credential's own limit far away: the 429s below can only come from the failures' limit.
  const app = await build(t, { rateLimit: { ...limit, max: 100 } })
  const roam = await roamClient(app)
  const plaspy = await plaspyClient(app)
  const guesses = [
    { url: '/v1/api/user/?user_id=0123456789abcdef01234567', headers: { 'api-key': 'guess-1' } },
    { url: '/api/users', headers: { authorization: 'Bearer guess-2' } },
    { method: 'POST' as const, url: '/api/Auth/Token', payload: { userName: plaspy.userName, apiKey: 'guess-3' } }
  ]
  for (const guess of guesses) t.equal((await app.inject(guess)).statusCode, 401, 'a different wrong credential each time')

  const roamThrottled = await app.inject({ url: '/v1/api/user/', headers: { 'api-key': 'guess-4' } })
  t.equal(roamThrottled.statusCode, 429)
  t.match(roamThrottled.json(), { status: false, code: 429, error: { ErrorCode: 'GS400' } })
  t.match(roamThrottled.headers['retry-after'], /^\d+$/)
  const plaspyThrottled = await app.inject({ url: '/api/users', headers: { authorization: 'Bearer guess-5' } })
  t.equal(plaspyThrottled.statusCode, 429)
  t.match(plaspyThrottled.json(), { success: false, error: /^Too many requests/ })
  t.notOk('apiUsage' in plaspyThrottled.json(), 'nothing was authenticated, nothing counted')
  t.match(plaspyThrottled.headers['retry-after'], /^\d+$/)

  const rightKey = await roam.inject({ url: '/v1/api/user/?user_id=0123456789abcdef01234567' })
  t.equal(rightKey.statusCode, 429, 'once the address is throttled, even a right key waits')
  const elsewhere = await roam.inject({ url: '/v1/api/user/?user_id=0123456789abcdef01234567', remoteAddress: '10.0.0.9' })
  t.equal(elsewhere.statusCode, 400, 'another address is not affected (unknown user: GS400)')
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'operations are never limited')
})

t.test('a REDIS_URL that cannot be reached stops the server at start, saying so', async (t) => {
  t.setTimeout(60_000)
  const { code, stderr } = await failedStart({ DATABASE_URL: await testDatabaseUrl(t), REDIS_URL: 'redis://127.0.0.1:1' })
  t.not(code, 0, 'no silent fallback to per-process limits')
  t.match(stderr, /REDIS_URL: cannot connect to Redis at 127\.0\.0\.1:1/)
})

t.test('behind a trusted proxy the client is the address it appended to X-Forwarded-For', async (t) => {
  const app = await build(t, { rateLimit: limit, trustProxy: '127.0.0.1' }) // the proxy: inject's socket
  // The client writes the left-most entries itself; the proxy appends the address it saw.
  const rotating = (n: number) => app.inject({ url: '/api/users', headers: { authorization: 'Bearer guess', 'x-forwarded-for': `192.0.2.${n}, 203.0.113.7` } })
  for (let i = 0; i < limit.max; i++) t.equal((await rotating(i)).statusCode, 401)
  t.equal((await rotating(99)).statusCode, 429, 'rotating the left-most entry does not escape the limit')
  const other = await app.inject({ url: '/api/users', headers: { authorization: 'Bearer guess', 'x-forwarded-for': '192.0.2.1, 198.51.100.2' } })
  t.equal(other.statusCode, 401, 'another client behind the same proxy is not throttled')
})

t.test('behind a trusted proxy the client is X-Forwarded-For, not the proxy', async (t) => {
  const app = await build(t, { rateLimit: limit, trustProxy: 'loopback' })
  const guess = (client: string) => app.inject({ url: '/api/users', headers: { authorization: 'Bearer guess', 'x-forwarded-for': client } })
  for (let i = 0; i < limit.max; i++) t.equal((await guess('203.0.113.7')).statusCode, 401)
  t.equal((await guess('203.0.113.7')).statusCode, 429, 'that client is throttled')
  t.equal((await guess('198.51.100.2')).statusCode, 401, 'another client behind the same proxy is not')
})
