import { verify } from '@node-rs/argon2'
import t from 'tap'
import { build, plaspyClient } from '../helper.js'
import { createUser, isoSeconds, minimal, row, snapshot, vendorPut, withoutUsage } from '../helpers/plaspy.js'

const argon2id = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/

const seedBody = vendorPut

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
  t.same({ ...after, modification: before.modification, version: before.version }, before, 'only modification and version moved')
  t.equal(after.version, before.version + 1)
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

t.test('emails are one per account ignoring the case of ASCII letters, as sign-in by email matches them', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const jane = await createUser(client, { ...minimal, email: 'jane@example.com' })
  const other = await createUser(client, { ...minimal, email: 'other@example.com' })
  const conflict = { success: false, error: 'Email address is already in use.' }
  const created = await client.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, email: 'JANE@Example.COM' } })
  t.equal(created.statusCode, 409, 'POST')
  t.match(created.json(), conflict)
  const put = await client.inject({ method: 'PUT', url: `/api/users/${other}`, payload: { ...minimal, email: 'Jane@example.com' } })
  t.equal(put.statusCode, 409, 'PUT')
  const patch = await client.inject({ method: 'PATCH', url: `/api/users/${other}`, payload: [{ op: 'replace', path: '/email', value: 'jANE@EXAMPLE.com' }] })
  t.equal(patch.statusCode, 409, 'PATCH')
  t.equal((await row(app, other)).email, 'other@example.com', 'nothing changed')
  t.equal((await app.db.prisma.plaspyUser.count({ where: { email: { contains: 'example' } } })), 3, 'no user added')

  // The database holds the rule, whatever writes: a statement past the service is refused too.
  const { accountId } = await row(app, jane)
  await t.rejects(app.db.prisma.plaspyUser.create({
    data: { id: 'usr-raw', accountId, name: 'x', email: 'JANE@EXAMPLE.COM', country: 'Argentina', timeZone: 'UTC', privileges: [] }
  }), { code: 'P2002' }, 'refused by the database itself')

  // A user may change the case of its own email; other accounts are apart. (An email is ASCII: format email.)
  const own = await client.inject({ method: 'PUT', url: `/api/users/${jane}`, payload: { ...minimal, email: 'Jane@Example.com' } })
  t.equal(own.statusCode, 200, 'its own email in another case')
  const elsewhere = await plaspyClient(app, { accountName: 'another account' })
  t.equal((await elsewhere.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, email: 'JANE@example.com' } })).statusCode, 201, 'another account')
})

t.test('sign-in by email ignores the case of ASCII letters, as uniqueness does', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app, { email: 'Sign.In@Example.com' })
  for (const userName of ['Sign.In@Example.com', 'sign.in@example.com', 'SIGN.IN@EXAMPLE.COM']) {
    const response = await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName, apiKey: client.api_key } })
    t.equal(response.statusCode, 200, userName)
  }
  const wrong = await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: 'sign.in@example.org', apiKey: client.api_key } })
  t.equal(wrong.statusCode, 401, 'another email')
})

// ------------------------------------------------------------------------------------ the vendor's examples

const userFields = [
  'adminDevices', 'country', 'creation', 'description', 'deviceId', 'disabled', 'disabledMessage', 'email', 'expires',
  'from', 'group', 'id', 'lastLogin', 'message', 'modification', 'name', 'password', 'privileges', 'tags', 'timeZone'
]

t.test('the vendor\'s POST example creates the user and answers the documented shape', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const response = await app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${client.token}` },
    payload: JSON.stringify(seedBody) // post__api_users.md sends the same body as the PUT page
  })
  t.equal(response.statusCode, 201)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['apiDailyUsage', 'apiUsage', 'success', ...userFields].sort())
  const { password, creation, modification, lastLogin, ...echoed } = seedBody
  t.match(body, { success: true, ...echoed, message: null, disabled: false, disabledMessage: null, password: null, lastLogin: null })
  t.match(body.id, /^usr-[0-9a-f]{16}$/)
  t.not(body.creation, creation, 'creation is server-owned')

  const invalid = await client.inject({ method: 'POST', url: '/api/users', payload: { ...seedBody, email: 'jane.doe' } })
  t.equal(invalid.statusCode, 400)
  t.same(Object.keys(invalid.json()).sort(), ['apiDailyUsage', 'apiUsage', 'error', 'success'])
  t.match(invalid.json(), { success: false, error: 'Invalid email address.' }, 'the documented error')
})

t.test('GET /api/users lists every user of the account, and only those', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app, { accountName: 'acme' })
  const outsider = await plaspyClient(app, { accountName: 'other' })
  const first = await createUser(client)
  const second = await createUser(client, { ...seedBody, email: 'second@example.com' })
  await createUser(outsider, { ...minimal, email: 'outsider@example.com' })

  const response = await client.inject({ method: 'GET', url: '/api/users' })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['apiDailyUsage', 'apiUsage', 'success', 'users'])
  t.equal(body.success, true)
  t.same(body.users.map((user: { id: string }) => user.id).sort(), [client.user_id, first, second].sort(), 'no other account\'s user')
  for (const user of body.users) t.same(Object.keys(user).sort(), userFields, `${user.id} has every documented field`)
  const listed = body.users.find((user: { id: string }) => user.id === second)
  t.match(listed, { email: 'second@example.com', country: 'USA', tags: seedBody.tags, password: null, from: '2023-01-01T00:00:00Z' })
  const single = (await client.inject({ method: 'GET', url: `/api/users/${second}` })).json()
  t.same(listed, withoutEnvelope(single), 'a listed user reads as GET /api/users/{id} answers it')
})

t.test('GET /api/users/{userId} answers the user flattened, and 404 for the vendor\'s example id', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, { ...seedBody })
  const response = await client.inject({ method: 'GET', url: `/api/users/${id}` })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['apiDailyUsage', 'apiUsage', 'success', ...userFields].sort())
  const { password, creation, modification, lastLogin, ...echoed } = seedBody
  t.match(body, { success: true, id, ...echoed, password: null })
  t.match(body.modification, isoSeconds)

  const missing = await client.inject({ method: 'GET', url: '/api/users/12345' }) // get__api_users_userid.md
  t.equal(missing.statusCode, 404)
  t.same(withoutUsage(missing.json()), { success: false, error: 'User not found.' })
  t.ok(Number.isInteger(missing.json().apiUsage) && Number.isInteger(missing.json().apiDailyUsage))

  const tooLong = await client.inject({ method: 'GET', url: `/api/users/${'x'.repeat(65)}` })
  t.equal(tooLong.statusCode, 400, 'an id longer than any id is refused before the database')
  t.match(tooLong.json(), { success: false, error: /^Invalid input\. userId/ })
})

function withoutEnvelope (body: Record<string, unknown>) {
  const { success, ...user } = withoutUsage(body)
  return user
}

// ------------------------------------------------------------------------------------------------- delete

t.test('DELETE removes the user with its keys, tokens and usage, and answers the usage counters', async (t) => {
  const app = await build(t)
  const admin = await plaspyClient(app)
  const victim = await plaspyClient(app) // a user who can sign in: it has a key and a token
  await victim.inject({ method: 'GET', url: '/api/users' })
  const { prisma } = app.db
  t.equal(await prisma.plaspyToken.count({ where: { userId: victim.user_id } }), 1)

  const response = await admin.inject({ method: 'DELETE', url: `/api/users/${victim.user_id}` })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['apiDailyUsage', 'apiUsage', 'success'], 'the documented shape')
  t.equal(body.success, true)
  t.equal(await prisma.plaspyUser.count({ where: { id: victim.user_id } }), 0, 'a hard delete')
  t.equal(await prisma.plaspyApiKey.count({ where: { userId: victim.user_id } }), 0, 'its API keys are gone')
  t.equal(await prisma.plaspyToken.count({ where: { userId: victim.user_id } }), 0, 'its tokens are gone')
  t.equal(await prisma.plaspyUsage.count({ where: { userId: victim.user_id } }), 0, 'its usage row is gone')
  t.equal((await victim.inject({ method: 'GET', url: '/api/users' })).statusCode, 401, 'its token no longer works')
  t.equal((await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: victim.userName, apiKey: victim.api_key } })).statusCode, 401, 'nor its key')

  const again = await admin.inject({ method: 'DELETE', url: `/api/users/${victim.user_id}` })
  t.equal(again.statusCode, 404)
  t.same(withoutUsage(again.json()), { success: false, error: 'User not found.' })
  const vendor = await admin.inject({ method: 'DELETE', url: '/api/users/usr-12345' }) // delete__api_users_userid.md
  t.equal(vendor.statusCode, 404)
  t.same(Object.keys(vendor.json()).sort(), ['apiDailyUsage', 'apiUsage', 'error', 'success'])
})

t.test('a token cannot delete its own user', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const before = await snapshot(app)
  const response = await client.inject({ method: 'DELETE', url: `/api/users/${client.user_id}` })
  t.equal(response.statusCode, 400)
  t.same(withoutUsage(response.json()), { success: false, error: 'A token cannot delete its own user.' })
  t.same(await snapshot(app), before, 'nothing changed')
  t.equal((await client.inject({ method: 'GET', url: '/api/users' })).statusCode, 200, 'the token still works')
})

// ----------------------------------------------------------------------------------- isolation, privileges

t.test('another account\'s user answers every method exactly like an unknown user', async (t) => {
  const app = await build(t)
  const owner = await plaspyClient(app, { accountName: 'account-a' })
  const intruder = await plaspyClient(app, { accountName: 'account-b' })
  const id = await createUser(owner)
  const before = await snapshot(app)
  const requests = [
    { method: 'GET' as const },
    { method: 'PUT' as const, payload: minimal },
    { method: 'PATCH' as const, payload: [{ op: 'replace', path: '/name', value: 'hacked' }] },
    { method: 'DELETE' as const }
  ]
  for (const request of requests) {
    const unknown = await intruder.inject({ ...request, url: '/api/users/usr-0000000000000000' })
    const foreign = await intruder.inject({ ...request, url: `/api/users/${id}` })
    t.equal(foreign.statusCode, 404, request.method)
    t.equal(foreign.statusCode, unknown.statusCode, request.method)
    t.same(withoutUsage(foreign.json()), withoutUsage(unknown.json()), `${request.method}: the same body`)
    t.equal(foreign.body.replace(/"api(Daily)?Usage":\d+/g, ''), unknown.body.replace(/"api(Daily)?Usage":\d+/g, ''), `${request.method}: byte for byte`)
    t.same(Object.keys(foreign.json()), Object.keys(unknown.json()), `${request.method}: the same keys in the same order`)
  }
  t.same(await snapshot(app), before, 'the user was neither changed nor deleted')
})

t.test('privileges: GETs need read, every change needs write', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client)
  const setPrivileges = (privileges: string[]) => app.db.prisma.plaspyUser.update({ where: { id: client.user_id }, data: { privileges } })
  const reads = ['/api/users', `/api/users/${id}`, '/api/users/countries', '/api/users/timeZones'].map((url) => ({ method: 'GET' as const, url }))
  const writes = [
    { method: 'POST' as const, url: '/api/users', payload: { ...minimal, email: 'new@example.com' } },
    { method: 'PUT' as const, url: `/api/users/${id}`, payload: { ...minimal, name: 'Changed' } },
    { method: 'PATCH' as const, url: `/api/users/${id}`, payload: [{ op: 'replace', path: '/name', value: 'Changed' }] },
    { method: 'DELETE' as const, url: `/api/users/${id}` }
  ]

  await setPrivileges(['write', 'execute'])
  for (const request of reads) {
    const response = await client.inject(request)
    t.equal(response.statusCode, 403, `${request.url} without read`)
    t.match(response.json(), { success: false, error: 'Unauthorized access', apiUsage: Number, apiDailyUsage: Number })
  }

  await setPrivileges(['read', 'execute'])
  const before = await snapshot(app)
  for (const request of writes) {
    const response = await client.inject(request)
    t.equal(response.statusCode, 403, `${request.method} without write`)
    t.match(response.json(), { success: false, error: 'Unauthorized access', apiUsage: Number, apiDailyUsage: Number })
  }
  t.same(await snapshot(app), before, 'no write went through')
  for (const request of reads) t.equal((await client.inject(request)).statusCode, 200, `${request.url} with read`)

  await setPrivileges(['write'])
  const patched = await client.inject(writes[2]!)
  t.equal(patched.statusCode, 200, 'write alone suffices for a change, and privileges apply from the next request')
})

t.test('disabled users and users outside from..expires cannot use the tokens they hold', async (t) => {
  let now = new Date('2026-05-01T12:00:00Z')
  const app = await build(t, { clock: () => now })
  const client = await plaspyClient(app)
  const list = () => client.inject({ method: 'GET', url: '/api/users' })
  const update = (data: object) => app.db.prisma.plaspyUser.update({ where: { id: client.user_id }, data })
  t.equal((await list()).statusCode, 200)

  await update({ disabled: true, disabledMessage: 'Unpaid invoice' })
  const disabled = await list()
  t.equal(disabled.statusCode, 401, 'disabled')
  t.same(disabled.json(), { success: false, error: 'Authentication failed. Invalid token.' }, 'not counted, no usage')
  await update({ disabled: false })
  t.equal((await list()).statusCode, 200, 'enabled again')

  await update({ validFrom: new Date('2026-05-02T00:00:00Z') })
  t.equal((await list()).statusCode, 401, 'before from')
  now = new Date('2026-05-02T00:00:00Z')
  t.equal((await list()).statusCode, 200, 'from is inclusive')

  await update({ validUntil: new Date('2026-05-02T06:00:00Z') })
  now = new Date('2026-05-02T06:00:00Z')
  t.equal((await list()).statusCode, 401, 'at expires')
})

// ---------------------------------------------------------------------------------- validation, real data

t.test('POST validates with real data and stores nothing it refuses', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const manyTags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))
  const cases: Array<[string, object, string | RegExp]> = [
    ['no @ in the email', { ...minimal, email: 'john.smith.example.com' }, 'Invalid email address.'],
    ['a space in the email', { ...minimal, email: 'john smith@example.com' }, 'Invalid email address.'],
    ['an unknown privilege', { ...minimal, privileges: ['read', 'admin'] }, /^Invalid input\. privileges: This is not a valid choice\./],
    ['a privilege twice', { ...minimal, privileges: ['read', 'read'] }, 'Invalid input. privileges: Items must be unique.'],
    ['tags as a list', { ...minimal, tags: ['vip'] }, /^Invalid input\. tags/],
    ['a number as a tag value', { ...minimal, tags: { vip: true } }, /^Invalid input\. tags/],
    ['51 tags', { ...minimal, tags: manyTags }, 'Invalid input. tags: Ensure this field has no more than 50 keys.'],
    ['a 65-character tag name', { ...minimal, tags: { ['k'.repeat(65)]: 'v' } }, /^Invalid input\. tags/],
    ['a 257-character tag value', { ...minimal, tags: { k: 'v'.repeat(257) } }, 'Invalid input. tags: Ensure this field has no more than 256 characters.'],
    ['a 7-character password', { ...minimal, password: '1234567' }, 'Invalid input. password: Ensure this field has at least 8 characters.'],
    ['a 129-character password', { ...minimal, password: 'p'.repeat(129) }, 'Invalid input. password: Ensure this field has no more than 128 characters.'],
    ['an unknown alpha-2 code', { ...minimal, country: 'ZZ' }, 'Invalid input. country: Not a known ISO 3166 country.'],
    ['an unknown alpha-3 code', { ...minimal, country: 'ZZZ' }, 'Invalid input. country: Not a known ISO 3166 country.'],
    ['a Windows time zone id', { ...minimal, timeZone: 'Eastern Standard Time' }, 'Invalid input. timeZone: Not a known IANA time zone.'],
    ['a lower-case IANA id', { ...minimal, timeZone: 'america/new_york' }, 'Invalid input. timeZone: Not a known IANA time zone.'],
    ['a negative adminDevices', { ...minimal, adminDevices: -1 }, /^Invalid input\. adminDevices/],
    ['a date that is no date-time', { ...minimal, from: '2023-01-01' }, /^Invalid input\. from/]
  ]
  const before = await snapshot(app)
  for (const [name, payload, error] of cases) {
    const response = await client.inject({ method: 'POST', url: '/api/users', payload })
    t.equal(response.statusCode, 400, name)
    t.match(response.json(), { success: false, error, apiUsage: Number, apiDailyUsage: Number }, name)
  }
  t.same(await snapshot(app), before, 'nothing was stored')

  const limits = await client.inject({
    method: 'POST',
    url: '/api/users',
    payload: { ...minimal, password: 'p'.repeat(8), tags: { ...Object.fromEntries(Object.entries(manyTags).slice(2)), ['k'.repeat(64)]: 'v'.repeat(256) } }
  })
  t.equal(limits.statusCode, 201, 'the limits themselves are allowed')
  const longest = await client.inject({ method: 'PUT', url: `/api/users/${limits.json().id}`, payload: { ...minimal, password: 'p'.repeat(128) } })
  t.equal(longest.statusCode, 200, 'a 128-character password is allowed')
})

t.test('country: alpha-2, alpha-3 or English name, answered as sent', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  for (const [i, country] of ['US', 'USA', 'United States', 'United States of America', 'Colombia', 'col', 'Côte d’Ivoire'].entries()) {
    const response = await client.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, email: `c${i}@example.com`, country } })
    t.equal(response.statusCode, 201, country)
    t.equal(response.json().country, country, `${country} is answered as sent`)
    t.equal((await row(app, response.json().id)).country, country, `${country} is stored as sent`)
  }
})

t.test('the email is unique within an account, not across accounts', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app, { accountName: 'acme' })
  const other = await plaspyClient(app, { accountName: 'other' })
  await createUser(client)
  const before = await snapshot(app)
  const duplicate = await client.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, name: 'Someone else' } })
  t.equal(duplicate.statusCode, 409)
  t.same(withoutUsage(duplicate.json()), { success: false, error: 'Email address is already in use.' })
  t.ok(Number.isInteger(duplicate.json().apiUsage))
  t.same(await snapshot(app), before, 'nothing was stored')
  t.equal((await other.inject({ method: 'POST', url: '/api/users', payload: minimal })).statusCode, 201, 'another account may use it')
})
