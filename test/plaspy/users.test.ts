import { verify } from '@node-rs/argon2'
import t from 'tap'
import { build, plaspyClient } from '../helper.js'
import type { App } from '../../src/app.js'

const isoSeconds = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
const argon2id = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/

// The seed's example request body (put-api-users-userid), verbatim.
const seedBody = {
  name: 'Jane Doe',
  email: 'jane.doe@example.com',
  country: 'USA',
  timeZone: 'America/Los_Angeles',
  description: 'Updated user for the marketing department',
  tags: { role: 'user', department: 'marketing' },
  privileges: ['read', 'write'],
  group: 'Marketing',
  deviceId: 'dev-12345',
  adminDevices: 2,
  from: '2023-01-01T00:00:00Z',
  expires: '2024-01-01T00:00:00Z',
  password: 'P@ssw0rd123',
  creation: '2023-01-01T00:00:00Z',
  modification: '2023-06-01T00:00:00Z',
  lastLogin: '2024-05-01T00:00:00Z'
}

const minimal = { name: 'John Smith', email: 'john.smith@example.com', country: 'Argentina', timeZone: 'America/Argentina/Buenos_Aires' }

type Client = Awaited<ReturnType<typeof plaspyClient>>

async function createUser (client: Client, payload: object = minimal): Promise<string> {
  const response = await client.inject({ method: 'POST', url: '/api/users', payload })
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.body}`)
  return response.json().id
}

function row (app: App, id: string) {
  return app.db.prisma.plaspyUser.findUniqueOrThrow({ where: { id } })
}

t.test('POST /api/users creates a user in the token\'s account', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const response = await client.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, privileges: ['read'], tags: { vip: 'true' } } })
  t.equal(response.statusCode, 201)
  const body = response.json()
  t.match(body, { success: true, ...minimal, privileges: ['read'], tags: { vip: 'true' }, password: null, lastLogin: null, disabled: false })
  t.match(body.id, /^usr-[0-9a-f]{16}$/)
  t.match(body.creation, isoSeconds)
  const stored = await row(app, body.id)
  const owner = await row(app, client.user_id)
  t.equal(stored.accountId, owner.accountId)
})

t.test('the seed PUT works verbatim and answers every field of the documented response', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client)
  const before = await row(app, id)
  const response = await app.inject({
    method: 'PUT',
    url: `/api/users/${id}`,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${client.token}` },
    payload: JSON.stringify(seedBody)
  })
  t.equal(response.statusCode, 200)
  const body = response.json()
  const { password, creation, modification, lastLogin, ...echoed } = seedBody
  t.match(body, { success: true, id, ...echoed, message: null, disabled: false, disabledMessage: null })
  t.equal(body.password, null, 'password is never answered')
  t.ok(Number.isInteger(body.apiUsage) && Number.isInteger(body.apiDailyUsage), 'usage counters are integers')
  t.same(Object.keys(body).sort(), [
    'adminDevices', 'apiDailyUsage', 'apiUsage', 'country', 'creation', 'description', 'deviceId', 'disabled',
    'disabledMessage', 'email', 'expires', 'from', 'group', 'id', 'lastLogin', 'message', 'modification', 'name',
    'password', 'privileges', 'success', 'tags', 'timeZone'
  ])
  t.equal(body.creation, before.creation.toISOString().slice(0, 19) + 'Z', 'creation is server-owned')
  t.not(body.modification, modification, 'modification is server-owned')
  t.match(body.modification, isoSeconds)
  t.equal(body.lastLogin, null, 'lastLogin is server-owned')

  const stored = await row(app, id)
  t.match(stored, { name: 'Jane Doe', email: 'jane.doe@example.com', country: 'USA', groupName: 'Marketing', adminDevices: 2 })
  t.same(stored.tags, seedBody.tags)
  t.same(stored.privileges, ['read', 'write'])
  t.equal(stored.validFrom?.toISOString(), '2023-01-01T00:00:00.000Z')
  t.match(stored.passwordHash, argon2id, 'stored as argon2id with OWASP parameters')
  t.ok(await verify(stored.passwordHash!, password), 'the hash verifies the password')
  t.equal(stored.creation.getTime(), before.creation.getTime())
})

t.test('passwords: salted hashes, never the plaintext, null keeps the password', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, { ...minimal, password: 'correct horse' })
  const first = (await row(app, id)).passwordHash
  await client.inject({ method: 'PUT', url: `/api/users/${id}`, payload: { ...minimal, password: 'correct horse' } })
  const second = (await row(app, id)).passwordHash
  t.match(second, argon2id)
  t.not(second, first, 'the same password twice gives two hashes')
  t.notMatch(JSON.stringify(await row(app, id)), /correct horse/)

  const readBack = (await client.inject({ method: 'PUT', url: `/api/users/${id}`, payload: { ...minimal, password: null } })).json()
  t.equal(readBack.password, null)
  t.equal((await row(app, id)).passwordHash, second, 'a user sent back with password: null keeps its password')

  for (const password of ['short', 'x'.repeat(129)]) {
    const response = await client.inject({ method: 'PUT', url: `/api/users/${id}`, payload: { ...minimal, password } })
    t.equal(response.statusCode, 400, `password of ${password.length} characters`)
  }
  t.equal((await row(app, id)).passwordHash, second)
})

t.test('PUT leaves omitted optional fields unchanged and clears those sent as null', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, { ...minimal, description: 'keep', tags: { a: 'b' }, group: 'Sales', privileges: ['read'] })
  const response = await client.inject({ method: 'PUT', url: `/api/users/${id}`, payload: { ...minimal, name: 'Renamed', group: null } })
  t.equal(response.statusCode, 200)
  t.match(response.json(), { name: 'Renamed', description: 'keep', tags: { a: 'b' }, group: null, privileges: ['read'] })
})

t.test('invalid input answers 400 in Plaspy\'s envelope and changes nothing', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client)
  const before = await row(app, id)
  const cases: Array<[string, object, string | RegExp]> = [
    ['bad email', { ...minimal, email: 'not-an-email' }, 'Invalid email address.'],
    ['missing name', { email: 'a@b.co', country: 'US', timeZone: 'UTC' }, 'Invalid input. name: This field is required.'],
    ['unknown time zone', { ...minimal, timeZone: 'Mars/Olympus' }, 'Invalid input. timeZone: Not a known IANA time zone.'],
    ['unknown country', { ...minimal, country: 'Atlantis' }, 'Invalid input. country: Not a known ISO 3166 country.'],
    ['unknown privilege', { ...minimal, privileges: ['admin'] }, /^Invalid input\. privileges/],
    ['nested tags', { ...minimal, tags: { a: { b: 'c' } } }, /^Invalid input\. tags/],
    ['string for a boolean', { ...minimal, disabled: 'true' }, 'Invalid input. disabled: Must be a valid boolean.'],
    ['expires before from', { ...minimal, from: '2024-01-01T00:00:00Z', expires: '2023-01-01T00:00:00Z' }, /^Invalid input\. expires/]
  ]
  for (const [name, payload, error] of cases) {
    const response = await client.inject({ method: 'PUT', url: `/api/users/${id}`, payload })
    t.equal(response.statusCode, 400, name)
    const body = response.json()
    t.match(body, { success: false, error }, name)
    t.ok(Number.isInteger(body.apiUsage), `${name}: an authenticated error carries the usage counters`)
  }
  t.same(await row(app, id), before, 'nothing changed')

  const malformed = await client.inject({ method: 'PUT', url: `/api/users/${id}`, headers: { 'content-type': 'application/json' }, payload: '{"name":' })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { success: false, error: 'Malformed JSON body.' })
  const text = await client.inject({ method: 'PUT', url: `/api/users/${id}`, headers: { 'content-type': 'text/plain' }, payload: 'hello' })
  t.equal(text.statusCode, 415)
  t.match(text.json(), { success: false })
})

t.test('missing, malformed, unknown, expired and revoked credentials get 401', async (t) => {
  let now = new Date('2026-01-01T00:00:00Z')
  const app = await build(t, { clock: () => now, tokenTtlSeconds: 3600 })
  const client = await plaspyClient(app)
  const id = await createUser(client)
  const put = (authorization?: string) => app.inject({
    method: 'PUT',
    url: `/api/users/${id}`,
    headers: authorization === undefined ? {} : { authorization },
    payload: { ...minimal, name: 'hacked' }
  })

  const missing = await put()
  t.equal(missing.statusCode, 401)
  t.same(missing.json(), { success: false, error: 'Authentication failed. Invalid token.' })
  t.equal(missing.headers['www-authenticate'], 'Bearer')
  for (const header of [`Basic ${client.token}`, 'Bearer', `Bearer ${client.token} extra`, `Bearer ${'A'.repeat(43)}`]) {
    const response = await put(header)
    t.equal(response.statusCode, 401, header.slice(0, 12))
    t.equal(response.headers['www-authenticate'], 'Bearer error="invalid_token"')
  }
  t.equal((await put(`bearer ${client.token}`)).statusCode, 200, 'the scheme is case-insensitive')

  now = new Date('2026-01-01T01:00:00Z')
  t.equal((await put(`Bearer ${client.token}`)).statusCode, 401, 'an expired token')

  now = new Date('2026-01-01T00:00:00Z')
  await app.db.prisma.plaspyApiKey.updateMany({ where: { userId: client.user_id }, data: { revokedAt: now } })
  t.equal((await put(`Bearer ${client.token}`)).statusCode, 401, 'a token bought with a revoked key')
  t.equal((await row(app, id)).name, 'hacked', 'only the authorised PUT changed the user')
})

t.test('another account\'s user answers 404 exactly like an unknown user', async (t) => {
  const app = await build(t)
  const owner = await plaspyClient(app, { accountName: 'account-a' })
  const intruder = await plaspyClient(app, { accountName: 'account-b' })
  const id = await createUser(owner)
  const before = await row(app, id)

  const unknown = await intruder.inject({ method: 'PUT', url: '/api/users/usr-0000000000000000', payload: minimal })
  const foreign = await intruder.inject({ method: 'PUT', url: `/api/users/${id}`, payload: minimal })
  t.equal(unknown.statusCode, 404)
  t.equal(foreign.statusCode, 404)
  const withoutUsage = (body: Record<string, unknown>) => ({ ...body, apiUsage: 0, apiDailyUsage: 0 })
  t.same(withoutUsage(foreign.json()), withoutUsage(unknown.json()))
  t.same(Object.keys(foreign.json()), Object.keys(unknown.json()))
  t.match(foreign.json(), { success: false, error: 'User not found.' })
  t.equal(foreign.json().apiUsage, unknown.json().apiUsage + 1, 'both requests were counted')
  t.same(await row(app, id), before, 'the row is unchanged')
})

t.test('a token without the write privilege gets 403 and changes nothing', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client)
  await app.db.prisma.plaspyUser.update({ where: { id: client.user_id }, data: { privileges: ['read'] } })
  const response = await client.inject({ method: 'PUT', url: `/api/users/${id}`, payload: { ...minimal, name: 'x' } })
  t.equal(response.statusCode, 403)
  t.match(response.json(), { success: false, error: 'Unauthorized access', apiUsage: Number, apiDailyUsage: Number })
  t.equal((await row(app, id)).name, minimal.name)
})

t.test('server-owned fields cannot be set through the body', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const other = await plaspyClient(app, { accountName: 'other' })
  const id = await createUser(client)
  const before = await row(app, id)
  const otherAccount = (await row(app, other.user_id)).accountId
  const response = await client.inject({
    method: 'PUT',
    url: `/api/users/${id}`,
    payload: {
      ...minimal,
      id: 'usr-ffffffffffffffff',
      accountId: otherAccount,
      userName: 'admin',
      passwordHash: 'x',
      apiUsage: 0,
      creation: '2000-01-01T00:00:00Z',
      lastLogin: '2000-01-01T00:00:00Z'
    }
  })
  t.equal(response.statusCode, 200, 'unknown fields are ignored')
  const after = await row(app, id)
  t.same({ ...after, modification: before.modification }, before, 'only modification moved')
})

t.test('same email twice in one account is a 409 conflict', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  await createUser(client)
  const second = await createUser(client, { ...minimal, email: 'other@example.com' })
  const response = await client.inject({ method: 'PUT', url: `/api/users/${second}`, payload: minimal })
  t.equal(response.statusCode, 409)
  t.match(response.json(), { success: false, error: 'Email address is already in use.' })
  t.equal((await row(app, second)).email, 'other@example.com')
})
