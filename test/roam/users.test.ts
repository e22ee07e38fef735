import t from 'tap'
import { build, roamClient } from '../helper.js'
import type { App } from '../../src/app.js'
import { vendorUpdate } from '../helpers/roam.js'

const roamTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/
const objectId = /^[0-9a-f]{24}$/

const seedBody = vendorUpdate

async function createUser (client: Awaited<ReturnType<typeof roamClient>>, payload: object = { app_type: 1, device_token: 'token-1' }) {
  const response = await client.inject({ method: 'POST', url: '/v1/api/user/', payload })
  return response.json().data.user_id as string
}

function row (app: App, id: string) {
  return app.db.prisma.roamUser.findUniqueOrThrow({ where: { id } })
}

t.test('POST /v1/api/user/ creates a user as documented', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const response = await client.inject({
    method: 'POST',
    url: '/v1/api/user/',
    payload: { app_type: 1, device_token: 'your-device-token', description: 'device description', metadata: {} }
  })
  t.equal(response.statusCode, 201)
  const body = response.json()
  t.match(body, { status: true, msg: 'User tracking initiated successfully.', code: 201 })
  t.match(body.data.user_id, objectId)
  t.same(body.data, {
    user_id: body.data.user_id,
    app_id: `${client.project_id}_1`,
    description: 'device description',
    geofence_events: false,
    location_events: false,
    trips_events: false,
    nearby_events: false,
    location_listener: false,
    event_listener: false,
    metadata: {},
    sdk_version: '0',
    project_id: client.project_id,
    account_id: client.account_id
  })
  const stored = await row(app, body.data.user_id)
  t.equal(stored.projectId, client.project_id, 'stored in the key\'s project')
  t.equal(stored.deviceToken, 'your-device-token')

  const invalid = await client.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 3 } })
  t.equal(invalid.statusCode, 400)
  t.same(invalid.json().error.details, { app_type: ['This is not a valid choice.'], device_token: ['This field is required.'] })
  t.equal(await app.db.prisma.roamUser.count(), 1, 'the invalid request created nothing')
})

t.test('the seed PUT works verbatim and answers every field of the documented response', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const id = await createUser(client)
  const response = await app.inject({
    method: 'PUT',
    url: '/v1/api/user/',
    headers: { 'Content-Type': 'application/json', 'APi-Key': client.api_key },
    payload: JSON.stringify({ user_id: id, ...seedBody })
  })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.match(body, { status: true, msg: 'Success.', code: 200 })
  t.same(Object.keys(body.data).sort(), [
    'account_id', 'app_id', 'brand', 'created_at', 'description', 'device_arn', 'device_token', 'device_uuid',
    'event_listener', 'geofence_events', 'group_id', 'id', 'is_deleted', 'location_events', 'location_listener',
    'metadata', 'model', 'motion_events', 'nearby_events', 'os_version', 'sdk_version', 'trips_events', 'updated_at'
  ])
  t.match(body.data, {
    id,
    account_id: client.account_id,
    app_id: `${client.project_id}_1`,
    description: 'ROAM111',
    metadata: { name: 'ROAM123' },
    is_deleted: false,
    device_uuid: null,
    group_id: null
  })
  t.match(body.data.created_at, roamTimestamp)
  t.match(body.data.updated_at, roamTimestamp)

  const stored = await row(app, id)
  t.equal(stored.description, 'ROAM111', 'persisted')
  t.same(stored.metadata, { name: 'ROAM123' })
  t.equal(body.data.updated_at, stored.updatedAt.toISOString().slice(0, 23), 'updated_at is the stored UTC time')
})

t.test('PUT changes exactly the fields sent', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const id = await createUser(client, { app_type: 2, device_token: 'tok', description: 'keep me', metadata: { a: 1 } })
  const response = await client.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: id, trips_events: true } })
  t.equal(response.statusCode, 200)
  const stored = await row(app, id)
  t.equal(stored.tripsEvents, true)
  t.equal(stored.geofenceEvents, false)
  t.equal(stored.description, 'keep me')
  t.same(stored.metadata, { a: 1 })

  await client.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: id, description: null, metadata: null } })
  const cleared = await row(app, id)
  t.equal(cleared.description, null, 'null clears')
  t.equal(cleared.metadata, null)
})

t.test('invalid input answers GS402 with DRF-style details and changes nothing', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const id = await createUser(client)
  const before = await row(app, id)

  const cases: Array<[string, unknown, Record<string, string[]>]> = [
    ['no user_id', { description: 'x' }, { user_id: ['This field is required.'] }],
    ['malformed user_id', { user_id: 'not-an-id' }, { user_id: ['This field is invalid.'] }],
    ['a string for a boolean', { user_id: id, geofence_events: 'true' }, { geofence_events: ['Must be a valid boolean.'] }],
    ['a too long description', { user_id: id, description: 'x'.repeat(1001) }, { description: ['Ensure this field has no more than 1000 characters.'] }],
    ['nested metadata', { user_id: id, metadata: { deep: { er: 1 } } }, { metadata: ['Must be a string, number or boolean.'] }]
  ]
  for (const [name, payload, details] of cases) {
    const response = await client.inject({ method: 'PUT', url: '/v1/api/user/', payload: payload as object })
    t.equal(response.statusCode, 400, name)
    t.same(response.json(), { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS402', ErrorMessage: 'Invalid request', details } }, name)
  }
  t.same(await row(app, id), before, 'nothing changed')
})

t.test('unreadable bodies answer in Roam\'s envelope', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const id = await createUser(client)
  const headers = { 'api-key': client.api_key }

  const malformed = await app.inject({ method: 'PUT', url: '/v1/api/user/', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"user_id":' })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { status: false, code: 400, error: { ErrorCode: 'GS400' } })

  const text = await app.inject({ method: 'PUT', url: '/v1/api/user/', headers: { ...headers, 'content-type': 'text/plain' }, payload: `{"user_id":"${id}"}` })
  t.equal(text.statusCode, 415)
  t.match(text.json(), { status: false, code: 415, error: { ErrorCode: 'GS400' } })

  const large = await client.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: id, description: 'x'.repeat(70_000) } })
  t.equal(large.statusCode, 413)
  t.match(large.json(), { status: false, code: 413 })

  const poisoned = await app.inject({ method: 'PUT', url: '/v1/api/user/', headers: { ...headers, 'content-type': 'application/json' }, payload: `{"user_id":"${id}","__proto__":{"x":1}}` })
  t.equal(poisoned.statusCode, 400)
  t.match(poisoned.json(), { status: false, code: 400 })
})

t.test('missing, unknown and revoked keys get 401 GS401', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const id = await createUser(client)
  const put = (headers: Record<string, string>) => app.inject({ method: 'PUT', url: '/v1/api/user/', headers, payload: { user_id: id, description: 'hacked' } })

  const missing = await put({})
  t.equal(missing.statusCode, 401)
  t.same(missing.json(), {
    status: false,
    msg: 'No Api key in Header provided',
    code: 401,
    error: { ErrorCode: 'GS401', ErrorMessage: 'Invalid Api key', details: 'No Api key in Header provided' }
  })
  const invalidBody = { status: false, msg: 'Invalid Api key.', code: 401, error: { ErrorCode: 'GS401', ErrorMessage: 'Invalid Api key', details: 'Invalid Api key.' } }
  const unknown = await put({ 'api-key': '0'.repeat(32) })
  t.equal(unknown.statusCode, 401)
  t.same(unknown.json(), invalidBody)

  const inQuery = await app.inject({ method: 'PUT', url: `/v1/api/user/?api_key=${client.api_key}`, payload: { user_id: id } })
  t.equal(inQuery.statusCode, 401, 'a key in the query string is never accepted')

  await app.db.prisma.roamApiKey.updateMany({ data: { revokedAt: new Date() } })
  const revoked = await put({ 'API-KEY': client.api_key })
  t.equal(revoked.statusCode, 401)
  t.same(revoked.json(), invalidBody)
  t.equal((await row(app, id)).description, null, 'nothing changed')
})

t.test('another account\'s or project\'s user answers exactly like an unknown user', async (t) => {
  const app = await build(t)
  const owner = await roamClient(app, 'account-a')
  const otherAccount = await roamClient(app, 'account-b')
  const otherProject = await roamClient(app, 'account-a')
  t.not(otherProject.project_id, owner.project_id)
  const id = await createUser(owner)
  const before = await row(app, id)

  const unknown = await owner.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: 'ffffffffffffffffffffffff', description: 'x' } })
  t.equal(unknown.statusCode, 400)
  t.same(unknown.json(), { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS400', ErrorMessage: 'An error occured', details: 'User does not exist.' } })
  for (const intruder of [otherAccount, otherProject]) {
    const response = await intruder.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: id, description: 'x' } })
    t.equal(response.statusCode, unknown.statusCode)
    t.equal(response.body, unknown.body, 'byte-identical to an unknown id')
  }
  t.same(await row(app, id), before, 'the row is unchanged')
})

t.test('server-owned fields cannot be set through the body', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const other = await roamClient(app, 'other')
  const id = await createUser(client)
  const before = await row(app, id)
  const response = await client.inject({
    method: 'PUT',
    url: '/v1/api/user/',
    payload: {
      user_id: id,
      description: 'allowed',
      id: 'ffffffffffffffffffffffff',
      account_id: other.account_id,
      project_id: other.project_id,
      app_id: `${other.project_id}_2`,
      is_deleted: true,
      created_at: '2000-01-01T00:00:00.000',
      sdk_version: '9.9.9'
    }
  })
  t.equal(response.statusCode, 200, 'unknown fields are ignored, as Roam does')
  const after = await row(app, id)
  t.equal(after.description, 'allowed')
  t.same({ ...after, description: before.description, updatedAt: before.updatedAt, version: before.version }, before, 'nothing else moved')
  t.equal(after.version, before.version + 1, 'the version moved by one')
})

t.test('a deleted user cannot be updated', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const id = await createUser(client)
  await app.db.prisma.roamUser.update({ where: { id }, data: { isDeleted: true } })
  const response = await client.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: id, description: 'x' } })
  t.equal(response.statusCode, 400)
  t.equal(response.json().error.details, 'User does not exist.')
})

t.test('DELETE /v1/api/user/ soft-deletes: the user is then gone for every operation', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const id = await createUser(client)
  const kept = await createUser(client)
  const before = await row(app, id)

  const response = await client.inject({ method: 'DELETE', url: `/v1/api/user/?user_id=${id}` })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: true, msg: 'Success.', code: 200, data: 'User deleted successfully.' })
  const after = await row(app, id)
  t.equal(after.isDeleted, true, 'the row stays, marked deleted')
  t.same({ ...after, isDeleted: false, updatedAt: before.updatedAt, version: before.version }, before, 'nothing else changed')
  t.equal(after.version, before.version + 1, 'the version moved by one')

  const unknown = await client.inject({ method: 'DELETE', url: '/v1/api/user/?user_id=ffffffffffffffffffffffff' })
  t.equal(unknown.statusCode, 400)
  t.same(unknown.json(), { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS400', ErrorMessage: 'An error occured', details: 'User does not exist.' } })
  const again = await client.inject({ method: 'DELETE', url: `/v1/api/user/?user_id=${id}` })
  t.equal(again.statusCode, 400)
  t.equal(again.body, unknown.body, 'a second delete answers like an unknown user')
  const put = await client.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: id, description: 'back' } })
  t.equal(put.statusCode, 400)
  t.equal(put.json().error.details, 'User does not exist.', 'a deleted user cannot be updated')
  const one = await client.inject({ method: 'GET', url: `/v1/api/user/?user_id=${id}` })
  t.equal(one.statusCode, 400, 'nor fetched by id')

  const today = new Date().toISOString().slice(0, 10)
  const listed = await client.inject({ method: 'GET', url: `/v1/api/user/?start_date=${today}&end_date=${today}` })
  t.same(listed.json().data.users.map((user: { id: string }) => user.id), [kept], 'nor listed')
  t.same(await row(app, id), after, 'the rejected requests changed nothing')
  t.equal((await row(app, kept)).isDeleted, false, 'the other user is untouched')
})

t.test('DELETE of another account\'s or project\'s user answers exactly like an unknown user', async (t) => {
  const app = await build(t)
  const owner = await roamClient(app, 'account-a')
  const otherProject = await roamClient(app, 'account-a')
  const otherAccount = await roamClient(app, 'account-b')
  const id = await createUser(owner)
  const before = await row(app, id)
  const unknown = await owner.inject({ method: 'DELETE', url: '/v1/api/user/?user_id=ffffffffffffffffffffffff' })
  for (const intruder of [otherProject, otherAccount]) {
    const response = await intruder.inject({ method: 'DELETE', url: `/v1/api/user/?user_id=${id}` })
    t.equal(response.statusCode, 400)
    t.equal(response.body, unknown.body, 'byte-identical to an unknown id')
  }
  t.same(await row(app, id), before, 'the row is unchanged')
})

t.test('DELETE failures answer in Roam\'s envelope and delete nothing', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const id = await createUser(client)
  const before = await row(app, id)
  const url = `/v1/api/user/?user_id=${id}`
  const gs402 = (details: Record<string, string[]>) => ({ status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS402', ErrorMessage: 'Invalid request', details } })

  const missing = await client.inject({ method: 'DELETE', url: '/v1/api/user/' })
  t.equal(missing.statusCode, 400)
  t.same(missing.json(), gs402({ user_id: ['This field is required.'] }))
  const malformed = await client.inject({ method: 'DELETE', url: '/v1/api/user/?user_id=123' })
  t.same(malformed.json(), gs402({ user_id: ['This field is invalid.'] }))

  const keyless = await app.inject({ method: 'DELETE', url })
  t.equal(keyless.statusCode, 401)
  t.equal(keyless.json().error.ErrorCode, 'GS401')
  const wrongKey = await app.inject({ method: 'DELETE', url, headers: { 'api-key': 'a'.repeat(32) } })
  t.equal(wrongKey.statusCode, 401)
  t.equal(wrongKey.json().msg, 'Invalid Api key.')

  const text = await client.inject({ method: 'DELETE', url, headers: { 'content-type': 'text/plain' }, payload: 'please' })
  t.equal(text.statusCode, 415)
  t.match(text.json(), { status: false, code: 415, error: { ErrorCode: 'GS400', ErrorMessage: 'Unsupported media type' } })
  const large = await client.inject({ method: 'DELETE', url, payload: { padding: 'x'.repeat(70_000) } })
  t.equal(large.statusCode, 413)
  t.match(large.json(), { status: false, code: 413, error: { ErrorCode: 'GS400' } })
  const badJson = await client.inject({ method: 'DELETE', url, headers: { 'content-type': 'application/json' }, payload: '{' })
  t.equal(badJson.statusCode, 400)
  t.match(badJson.json(), { status: false, code: 400, error: { ErrorCode: 'GS400', details: 'Malformed JSON body.' } })

  t.same(await row(app, id), before, 'still there, unchanged')
})
