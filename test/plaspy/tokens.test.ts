import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, UnsecuredJWT } from 'jose'
import t from 'tap'
import { createLogin } from '../../src/plaspy/logins.js'
import { build, plaspyClient } from '../helper.js'

t.test('POST /api/Auth/Token trades a user name and API key for a bearer token', async (t) => {
  const now = new Date('2026-03-01T12:00:00.250Z')
  const app = await build(t, { clock: () => now, tokenTtlSeconds: 3600 })
  const login = await createLogin(app.db, { accountName: 'acme', userName: 'jane', email: 'Jane@Example.com' })

  const response = await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: 'jane', apiKey: login.api_key } })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['expires', 'success', 'token'])
  t.equal(body.success, true)
  t.equal(body.expires, '2026-03-01T13:00:00Z', 'ISO 8601 UTC with Z, the configured lifetime ahead')
  t.match(body.token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT')

  const user = await app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id: login.user_id }, include: { tokens: true } })
  t.equal(user.lastLogin?.getTime(), now.getTime(), 'lastLogin is set')
  t.equal(user.tokens.length, 1)
  t.not(user.tokens[0]!.tokenHash, body.token, 'the token is stored only hashed')
  t.notMatch(JSON.stringify(user), new RegExp(body.token))

  const byEmail = await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: 'jane@example.com', apiKey: login.api_key } })
  t.equal(byEmail.statusCode, 200, 'the email works as the user name')

  const usable = await app.inject({ method: 'PUT', url: `/api/users/${login.user_id}`, headers: { authorization: `Bearer ${body.token}` }, payload: { name: 'Jane', email: 'Jane@Example.com', country: 'US', timeZone: 'UTC' } })
  t.equal(usable.statusCode, 200, 'the token authenticates')
})

t.test('tokens are HS512 JWTs with exp, sub and a random jti; only those this server issued are good', async (t) => {
  const now = new Date('2026-03-01T12:00:00.250Z')
  const app = await build(t, { clock: () => now, tokenTtlSeconds: 3600 })
  const login = await createLogin(app.db, { accountName: 'acme', userName: 'jane', email: 'jane@example.com' })
  const issue = async () => (await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: 'jane', apiKey: login.api_key } })).json().token as string
  const token = await issue()

  t.same(decodeProtectedHeader(token), { alg: 'HS512', typ: 'JWT' })
  const { payload } = await jwtVerify(token, app.config.tokenSigningKey, { algorithms: ['HS512'], currentDate: now })
  t.equal(payload.sub, login.user_id, 'sub: the user')
  t.equal(payload.exp, Date.parse('2026-03-01T13:00:00Z') / 1000, 'exp: what a client renews by, the answer\'s expires')
  t.equal(payload.iat, Date.parse('2026-03-01T12:00:00Z') / 1000)
  t.match(payload.jti, /^[\w-]{22}$/)
  t.not(decodeJwt(await issue()).jti, payload.jti, 'a fresh jti each time')

  const read = (bearer: string) => app.inject({ url: '/api/users', headers: { authorization: `Bearer ${bearer}` } })
  t.equal((await read(token)).statusCode, 200, 'the issued token is good')
  const claims = { sub: login.user_id, jti: payload.jti, iat: payload.iat, exp: payload.exp }
  const unsigned = new UnsecuredJWT(claims).encode()
  const otherAlgorithm = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(app.config.tokenSigningKey)
  const sameKeyLater = await new SignJWT({ ...claims, exp: claims.exp! + 3600 }).setProtectedHeader({ alg: 'HS512', typ: 'JWT' }).sign(app.config.tokenSigningKey)
  for (const [name, forged] of [['alg: none', unsigned], ['HS256 with the same key', otherAlgorithm], ['a longer exp, signed with the real key', sameKeyLater]]) {
    const response = await read(forged)
    t.equal(response.statusCode, 401, `${name}: refused`)
    t.match(response.json(), { success: false, error: 'Authentication failed. Invalid token.' })
  }
})

t.test('bad credentials get 401 in Plaspy\'s envelope', async (t) => {
  let now = new Date('2026-03-01T12:00:00Z')
  const app = await build(t, { clock: () => now })
  const jane = await createLogin(app.db, { accountName: 'acme', userName: 'jane', email: 'jane@example.com' })
  const john = await createLogin(app.db, { accountName: 'acme', userName: 'john', email: 'john@example.com' })
  const token = (payload: object) => app.inject({ method: 'POST', url: '/api/Auth/Token', payload })
  const rejected = { success: false, error: 'Invalid API key or username.' }

  for (const [name, payload] of [
    ['unknown key', { userName: 'jane', apiKey: 'x'.repeat(32) }],
    ['unknown user', { userName: 'nobody', apiKey: jane.api_key }],
    ['someone else\'s key', { userName: 'jane', apiKey: john.api_key }]
  ] as const) {
    const response = await token(payload)
    t.equal(response.statusCode, 401, name)
    t.same(response.json(), rejected, name)
  }

  const missing = await token({ userName: 'jane' })
  t.equal(missing.statusCode, 400)
  t.match(missing.json(), { success: false, error: 'Invalid input. apiKey: This field is required.' })

  await app.db.prisma.plaspyUser.update({ where: { id: jane.user_id }, data: { disabled: true } })
  t.equal((await token({ userName: 'jane', apiKey: jane.api_key })).statusCode, 401, 'a disabled user')

  await app.db.prisma.plaspyUser.update({ where: { id: jane.user_id }, data: { disabled: false, validUntil: now } })
  t.equal((await token({ userName: 'jane', apiKey: jane.api_key })).statusCode, 401, 'a user past expires')
  now = new Date('2026-02-01T00:00:00Z')
  t.equal((await token({ userName: 'jane', apiKey: jane.api_key })).statusCode, 200, 'the same user inside the window')

  await app.db.prisma.plaspyApiKey.updateMany({ where: { userId: jane.user_id }, data: { revokedAt: now } })
  t.equal((await token({ userName: 'jane', apiKey: jane.api_key })).statusCode, 401, 'a revoked key')
})

t.test('the vendor\'s Auth/Token example replays: its placeholder key is refused as documented, a real key answers the documented shape', async (t) => {
  const app = await build(t)
  const login = await createLogin(app.db, { accountName: 'acme', userName: 'your_username', email: 'you@example.com' })
  // authentication.md, verbatim.
  const placeholder = await app.inject({
    method: 'POST',
    url: '/api/Auth/Token',
    headers: { 'Content-Type': 'application/json' },
    payload: '{"userName": "your_username", "apiKey": "your_api_key"}'
  })
  t.equal(placeholder.statusCode, 401)
  t.equal(placeholder.body, '{"success":false,"error":"Invalid API key or username."}', 'the documented error, and nothing else')

  const real = await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: 'your_username', apiKey: login.api_key } })
  t.equal(real.statusCode, 200)
  t.same(Object.keys(real.json()), ['success', 'token', 'expires'], 'the documented fields, in the documented order')
  t.match(real.json().expires, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
})

t.test('a user\'s stored tokens stay bounded: expired ones go, and the oldest beyond 100 is retired', async (t) => {
  let now = new Date('2026-03-01T12:00:00.000Z')
  const app = await build(t, { clock: () => now, tokenTtlSeconds: 3600 })
  const login = await createLogin(app.db, { accountName: 'acme', userName: 'jane', email: 'jane@example.com' })
  const issue = async () => (await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: 'jane', apiKey: login.api_key } })).json().token as string
  const works = async (token: string) => (await app.inject({ url: `/api/users/${login.user_id}`, headers: { authorization: `Bearer ${token}` } })).statusCode === 200
  const stored = () => app.db.prisma.plaspyToken.count({ where: { userId: login.user_id } })

  await issue()
  await issue()
  now = new Date(now.getTime() + 3600_000) // both expire
  const fresh = await issue()
  t.equal(await stored(), 1, 'expired tokens are deleted when the next is issued')

  const tokens = [fresh]
  for (let i = 0; i < 104; i++) {
    now = new Date(now.getTime() + 1)
    tokens.push(await issue())
  }
  t.equal(await stored(), 100, 'at most 100 live tokens')
  t.notOk(await works(tokens[0]!), 'the oldest was retired')
  t.notOk(await works(tokens[4]!))
  t.ok(await works(tokens[5]!), 'the 100 newest work')
  t.ok(await works(tokens.at(-1)!))
})

t.test('the token exchange is rate limited per API key and per address, in Plaspy\'s 429', async (t) => {
  const app = await build(t, { rateLimit: { max: 3, failedAuthenticationMax: 60, windowSeconds: 60 } })
  const jane = await createLogin(app.db, { accountName: 'acme', userName: 'jane', email: 'jane@example.com' })
  const john = await createLogin(app.db, { accountName: 'acme', userName: 'john', email: 'john@example.com' })
  const exchange = (login: typeof jane, address: string) => app.inject({ method: 'POST', url: '/api/Auth/Token', remoteAddress: address, payload: { userName: login.userName, apiKey: login.api_key } })
  for (let i = 0; i < 3; i++) t.equal((await exchange(jane, `192.0.2.${i}`)).statusCode, 200)
  const limited = await exchange(jane, '192.0.2.9')
  t.equal(limited.statusCode, 429, 'one key, from any address')
  t.match(limited.json(), { success: false, error: 'Too many requests.' })
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After says when')
  const jim = await createLogin(app.db, { accountName: 'acme', userName: 'jim', email: 'jim@example.com' })
  t.equal((await exchange(john, '198.51.100.1')).statusCode, 200, 'another key elsewhere is not limited')
  t.equal((await exchange(john, '198.51.100.1')).statusCode, 200)
  t.equal((await exchange(jim, '198.51.100.1')).statusCode, 200)
  t.equal((await exchange(jim, '198.51.100.1')).statusCode, 429, 'one address, whatever the key, after 3')
  t.equal(await app.db.prisma.plaspyToken.count(), 6, 'a refused exchange stores no token')
})

t.test('a token asked for while its user is deleted: 200 before the delete, 401 after, never 500', async (t) => {
  const app = await build(t)
  const writer = await plaspyClient(app, { accountName: 'acme' })
  const statuses = new Set<number>()
  for (let i = 0; i < 10; i++) {
    const login = await createLogin(app.db, { accountName: 'acme', userName: `leaving${i}`, email: `leaving${i}@example.com` })
    const ask = () => app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: login.userName, apiKey: login.api_key } })
    // On Postgres the token's row was refused by row-level security once the user was gone: a 500.
    const answers = await Promise.all([ask(), ask(), ask(), writer.inject({ method: 'DELETE', url: `/api/users/${login.user_id}` }), ask(), ask(), ask()])
    for (const answer of answers) statuses.add(answer.statusCode)
    t.equal(await app.db.prisma.plaspyToken.count({ where: { userId: login.user_id } }), 0, 'no token outlives its user')
  }
  t.ok([...statuses].every((status) => [200, 401].includes(status)), `statuses seen: ${[...statuses].join(', ')}`)
})
