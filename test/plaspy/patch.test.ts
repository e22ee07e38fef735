import { verify } from '@node-rs/argon2'
import t from 'tap'
import { build, plaspyClient } from '../helper.js'
import { createUser, minimal, row, snapshot, withoutUsage, type Client } from '../helpers/plaspy.js'

const full = {
  ...minimal,
  description: 'VIP User',
  message: 'Welcome',
  disabled: true,
  disabledMessage: 'On leave',
  tags: { role: 'admin', team: 'ops' },
  privileges: ['read', 'write'],
  group: 'administrators',
  deviceId: 'dev-67890',
  adminDevices: 5,
  from: '2023-01-01T00:00:00Z',
  expires: '2024-01-01T00:00:00Z',
  password: 'S3cure!Passw0rd'
}

function patch (client: Client, id: string, operations: unknown, contentType = 'application/json-patch+json') {
  return client.inject({
    method: 'PATCH',
    url: `/api/users/${id}`,
    headers: { 'content-type': contentType },
    payload: typeof operations === 'string' ? operations : JSON.stringify(operations)
  })
}

t.test('the vendor\'s example patch, sent as application/json, changes exactly what it names', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, full)
  const before = await row(app, id)
  // patch__api_users_userid.md, verbatim (its Content-Type is application/json).
  const response = await patch(client, id, [
    { op: 'replace', path: '/email', value: 'nuevo_email@example.com' },
    { op: 'add', path: '/tags', value: { vip: 'true' } }
  ], 'application/json')
  t.equal(response.statusCode, 200)
  const body = response.json()
  const { password, ...unchanged } = full
  t.same(Object.keys(body).sort(), [
    'adminDevices', 'apiDailyUsage', 'apiUsage', 'country', 'creation', 'description', 'deviceId', 'disabled',
    'disabledMessage', 'email', 'expires', 'from', 'group', 'id', 'lastLogin', 'message', 'modification', 'name',
    'password', 'privileges', 'success', 'tags', 'timeZone'
  ])
  t.match(body, { success: true, id, ...unchanged, email: 'nuevo_email@example.com', tags: { vip: 'true' }, password: null })
  t.same(body.tags, { vip: 'true' }, '`add` on an existing member replaces it')

  const after = await row(app, id)
  t.same(
    { ...after, email: before.email, tags: before.tags, modification: before.modification, version: before.version },
    before,
    'nothing else changed, the password hash included'
  )
  t.ok(after.modification > before.modification, 'modification moved')
  t.equal(after.version, before.version + 1, 'the version moved by one')
})

t.test('application/json-patch+json; test, copy and move between writable fields', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, full)
  const response = await patch(client, id, [
    { op: 'test', path: '/group', value: 'administrators' },
    { op: 'test', path: '/password', value: null },
    { op: 'copy', from: '/name', path: '/description' },
    { op: 'move', from: '/disabledMessage', path: '/message' },
    { op: 'add', path: '/privileges/-', value: 'execute' },
    { op: 'replace', path: '/tags/role', value: 'user' },
    { op: 'add', path: '/tags/a~1b', value: 'slash' }
  ])
  t.equal(response.statusCode, 200, response.body)
  t.match(response.json(), {
    description: minimal.name,
    message: 'On leave',
    disabledMessage: null,
    privileges: ['read', 'write', 'execute'],
    tags: { role: 'user', team: 'ops', 'a/b': 'slash' }
  })
  const stored = await row(app, id)
  t.equal(stored.disabledMessage, null, 'a field moved away is cleared')
  t.same(stored.privileges, ['read', 'write', 'execute'])
})

t.test('remove clears an optional field', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, full)
  t.ok((await row(app, id)).passwordHash)
  const optional = ['description', 'message', 'disabled', 'disabledMessage', 'tags', 'privileges', 'group', 'deviceId', 'adminDevices', 'from', 'expires', 'password']
  const response = await patch(client, id, optional.map((field) => ({ op: 'remove', path: `/${field}` })))
  t.equal(response.statusCode, 200, response.body)
  t.match(response.json(), {
    ...minimal,
    description: null,
    message: null,
    disabled: false,
    disabledMessage: null,
    tags: null,
    privileges: [],
    group: null,
    deviceId: null,
    adminDevices: null,
    from: null,
    expires: null,
    password: null
  })
  const stored = await row(app, id)
  t.match(stored, { description: null, tags: null, groupName: null, validFrom: null, validUntil: null, passwordHash: null, disabled: false })
  t.same(stored.privileges, [])
})

t.test('a replaced password is hashed; one left alone is kept', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, full)
  const original = (await row(app, id)).passwordHash!
  await patch(client, id, [{ op: 'replace', path: '/name', value: 'Renamed' }])
  t.equal((await row(app, id)).passwordHash, original, 'kept')
  const response = await patch(client, id, [{ op: 'replace', path: '/password', value: 'n3w passw0rd' }])
  t.equal(response.statusCode, 200)
  t.equal(response.json().password, null, 'never answered')
  const hash = (await row(app, id)).passwordHash!
  t.ok(await verify(hash, 'n3w passw0rd'))
  t.notMatch(JSON.stringify(await row(app, id)), /n3w passw0rd/)
})

t.test('an invalid patch answers "Invalid patch operation" and changes nothing', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, full)
  const cases: Array<[string, unknown]> = [
    ['a failing test', [{ op: 'replace', path: '/name', value: 'x' }, { op: 'test', path: '/group', value: 'Sales' }]],
    ['a test on a missing tag', [{ op: 'test', path: '/tags/nope', value: 'x' }]],
    ['remove of a missing tag', [{ op: 'remove', path: '/tags/nope' }]],
    ['replace of a missing tag', [{ op: 'replace', path: '/tags/nope', value: 'x' }]],
    ['/id', [{ op: 'replace', path: '/id', value: 'usr-ffffffffffffffff' }]],
    ['/creation', [{ op: 'replace', path: '/creation', value: '2000-01-01T00:00:00Z' }]],
    ['/modification', [{ op: 'remove', path: '/modification' }]],
    ['/lastLogin', [{ op: 'add', path: '/lastLogin', value: null }]],
    ['/apiUsage', [{ op: 'add', path: '/apiUsage', value: 0 }]],
    ['an unknown field', [{ op: 'add', path: '/accountId', value: 'acc-x' }]],
    ['the whole document', [{ op: 'replace', path: '', value: minimal }]],
    ['a path without its slash', [{ op: 'replace', path: 'name', value: 'x' }]],
    ['copy from a server-owned field', [{ op: 'copy', from: '/creation', path: '/description' }]],
    ['move into a server-owned field', [{ op: 'move', from: '/description', path: '/id' }]],
    ['a prototype key', [{ op: 'add', path: '/tags/__proto__', value: { polluted: 'yes' } }]],
    ['an unknown op', [{ op: 'merge', path: '/name', value: 'x' }]],
    ['no path', [{ op: 'replace', value: 'x' }]],
    ['replace without a value', [{ op: 'replace', path: '/name' }]],
    ['move without from', [{ op: 'move', path: '/name' }]],
    ['an operation that is no object', ['replace /name']],
    ['an object instead of an array', { op: 'replace', path: '/name', value: 'x' }],
    ['an empty array', []],
    ['a merge patch', { name: 'x' }]
  ]
  const before = await snapshot(app)
  for (const [name, operations] of cases) {
    const response = await patch(client, id, operations)
    t.equal(response.statusCode, 400, name)
    t.same(withoutUsage(response.json()), { success: false, error: 'Invalid patch operation' }, name)
    t.ok(Number.isInteger(response.json().apiUsage), `${name}: counted`)
  }
  t.same(await snapshot(app), before, 'nothing changed')
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was touched')
})

t.test('the patched user is validated like a PUT body', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, full)
  await createUser(client, { ...minimal, email: 'taken@example.com' })
  const cases: Array<[string, unknown, number, string | RegExp]> = [
    ['a bad email', [{ op: 'replace', path: '/email', value: 'x@y' }], 400, 'Invalid email address.'],
    ['a required field removed', [{ op: 'remove', path: '/name' }], 400, 'Invalid input. name: This field is required.'],
    ['an unknown time zone', [{ op: 'replace', path: '/timeZone', value: 'Mars/Olympus' }], 400, 'Invalid input. timeZone: Not a known IANA time zone.'],
    ['an unknown country', [{ op: 'replace', path: '/country', value: 'Atlantis' }], 400, 'Invalid input. country: Not a known ISO 3166 country.'],
    ['from after expires', [{ op: 'replace', path: '/from', value: '2025-01-01T00:00:00Z' }], 400, /^Invalid input\. expires/],
    ['an unknown privilege', [{ op: 'add', path: '/privileges/-', value: 'admin' }], 400, /^Invalid input\. privileges/],
    ['a privilege twice', [{ op: 'add', path: '/privileges/-', value: 'read' }], 400, 'Invalid input. privileges: Items must be unique.'],
    ['a nested tag', [{ op: 'add', path: '/tags/deep', value: { a: 'b' } }], 400, /^Invalid input\. tags/],
    ['a short password', [{ op: 'replace', path: '/password', value: 'short' }], 400, 'Invalid input. password: Ensure this field has at least 8 characters.'],
    ['a string for a boolean', [{ op: 'replace', path: '/disabled', value: 'false' }], 400, 'Invalid input. disabled: Must be a valid boolean.'],
    ['another user\'s email', [{ op: 'replace', path: '/email', value: 'taken@example.com' }], 409, 'Email address is already in use.']
  ]
  const before = await snapshot(app)
  for (const [name, operations, status, error] of cases) {
    const response = await patch(client, id, operations)
    t.equal(response.statusCode, status, name)
    t.match(response.json(), { success: false, error, apiUsage: Number, apiDailyUsage: Number }, name)
  }
  t.same(await snapshot(app), before, 'nothing changed')
})

t.test('unknown users, other accounts, bodies that are not JSON', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app, { accountName: 'acme' })
  const outsider = await plaspyClient(app, { accountName: 'other' })
  const id = await createUser(outsider)
  const before = await snapshot(app)
  const operations = [{ op: 'replace', path: '/name', value: 'x' }]
  const foreign = await patch(client, id, operations)
  const unknown = await patch(client, 'usr-12345', operations)
  t.equal(foreign.statusCode, 404)
  t.same(withoutUsage(foreign.json()), { success: false, error: 'User not found.' })
  t.same(withoutUsage(unknown.json()), withoutUsage(foreign.json()))

  const text = await patch(client, id, 'replace /name', 'text/plain')
  t.equal(text.statusCode, 415)
  const malformed = await patch(client, id, '[{"op":')
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { success: false, error: 'Malformed JSON body.' })
  t.same(await snapshot(app), before, 'nothing changed')
})

t.test('concurrent patches never lose an update, and a test holds for the state it changes', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const id = await createUser(client, { ...minimal, tags: {}, adminDevices: 0 })
  const n = 20
  const tagged = await Promise.all(Array.from({ length: n }, (_, i) =>
    patch(client, id, [{ op: 'add', path: `/tags/k${i}`, value: String(i) }])))
  const landed = tagged.flatMap((response, i) => response.statusCode === 200 ? [`k${i}`] : [])
  for (const response of tagged) t.ok([200, 409].includes(response.statusCode), `answered ${response.statusCode}`)
  t.ok(landed.length > 0)
  t.same(Object.keys((await row(app, id)).tags as object).sort(), landed.sort(), 'exactly the tags of the patches that succeeded')

  // Each patch claims the next counter value only if no other patch took it first.
  const claims = await Promise.all(Array.from({ length: n }, (_, i) => patch(client, id, [
    { op: 'test', path: '/adminDevices', value: 0 },
    { op: 'replace', path: '/adminDevices', value: i + 1 }
  ])))
  t.equal(claims.filter((response) => response.statusCode === 200).length, 1, 'one claim wins, the others fail their test')
  t.ok(claims.every((response) => response.statusCode === 200 || response.json().error === 'Invalid patch operation'))
  const winner = claims.findIndex((response) => response.statusCode === 200)
  t.equal((await row(app, id)).adminDevices, winner + 1)
})
