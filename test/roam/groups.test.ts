import t from 'tap'
import { build, roamClient } from '../helper.js'
import type { App } from '../../src/app.js'

type Client = Awaited<ReturnType<typeof roamClient>>

const roamTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/
const unknownUser = { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS400', ErrorMessage: 'An error occured', details: 'User does not exist.' } }
const unknownGroup = { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS400', ErrorMessage: 'An error occured', details: 'Group does not exist.' } }

async function createUser (client: Client) {
  const response = await client.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'token' } })
  return response.json().data.user_id as string
}

async function createGroup (client: Client, description = 'Delivery fleet') {
  const response = await client.inject({ method: 'POST', url: '/v1/api/group/', payload: { description } })
  return response.json().data.group_id as string
}

function addUsers (client: Client, payload: object) {
  return client.inject({ method: 'POST', url: '/v1/api/group/user/', payload })
}

/** Every Roam user's group and update time: what a rejected request must leave as it was. */
function usersSnapshot (app: App) {
  return app.db.prisma.roamUser.findMany({ select: { id: true, groupId: true, updatedAt: true }, orderBy: { id: 'asc' } })
}

t.test('POST /v1/api/group/ creates a group of the key\'s project', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const response = await client.inject({ method: 'POST', url: '/v1/api/group/', payload: { description: 'Delivery fleet' } })
  t.equal(response.statusCode, 201)
  const body = response.json()
  t.match(body, { status: true, msg: 'Success.', code: 201 })
  t.same(Object.keys(body.data), ['group_id', 'project_id', 'description', 'updated_at', 'created_at'])
  t.match(body.data, { group_id: /^[0-9a-f]{24}$/, project_id: client.project_id, description: 'Delivery fleet', created_at: roamTimestamp })
  t.equal(body.data.updated_at, body.data.created_at, 'a new group: updated when created')

  const stored = await app.db.prisma.roamGroup.findUniqueOrThrow({ where: { id: body.data.group_id } })
  t.equal(stored.projectId, client.project_id)
  t.equal(stored.description, 'Delivery fleet')
  t.equal(body.data.created_at, stored.createdAt.toISOString().slice(0, 23), 'created_at is the stored UTC time')

  const bare = await client.inject({ method: 'POST', url: '/v1/api/group/', payload: {} })
  t.equal(bare.statusCode, 201, 'description is optional')
  t.equal(bare.json().data.description, null)

  const foreign = await roamClient(app, 'other')
  const smuggled = await client.inject({ method: 'POST', url: '/v1/api/group/', payload: { description: 'x', project_id: foreign.project_id, group_id: 'ffffffffffffffffffffffff' } })
  t.equal(smuggled.statusCode, 201, 'unknown fields are ignored')
  t.equal(smuggled.json().data.project_id, client.project_id, 'the project comes from the key, never the body')
  t.not(smuggled.json().data.group_id, 'ffffffffffffffffffffffff')
})

t.test('invalid or unreadable group bodies answer in Roam\'s envelope and create nothing', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const url = '/v1/api/group/'

  const cases: Array<[string, unknown, Record<string, string[]>]> = [
    ['a number', { description: 5 }, { description: ['Not a valid string.'] }],
    ['too long', { description: 'x'.repeat(1001) }, { description: ['Ensure this field has no more than 1000 characters.'] }],
    ['not an object', [], { non_field_errors: ['Expected a dictionary of items.'] }]
  ]
  for (const [name, payload, details] of cases) {
    const response = await client.inject({ method: 'POST', url, payload: payload as object })
    t.equal(response.statusCode, 400, name)
    t.same(response.json(), { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS402', ErrorMessage: 'Invalid request', details } }, name)
  }
  const json = { 'api-key': client.api_key, 'content-type': 'application/json' }
  const malformed = await app.inject({ method: 'POST', url, headers: json, payload: '{"description":' })
  t.equal(malformed.statusCode, 400)
  t.same(malformed.json(), { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS400', ErrorMessage: 'Invalid request', details: 'Malformed JSON body.' } })
  const text = await app.inject({ method: 'POST', url, headers: { ...json, 'content-type': 'text/plain' }, payload: '{}' })
  t.equal(text.statusCode, 415)
  t.same(text.json(), { status: false, msg: 'Error Occured.', code: 415, error: { ErrorCode: 'GS400', ErrorMessage: 'Unsupported media type', details: 'Content-Type must be application/json.' } })
  const large = await client.inject({ method: 'POST', url, payload: { description: 'x'.repeat(70_000) } })
  t.equal(large.statusCode, 413)
  t.same(large.json(), { status: false, msg: 'Error Occured.', code: 413, error: { ErrorCode: 'GS400', ErrorMessage: 'Request body is too large', details: 'Request body is too large.' } })
  const keyless = await app.inject({ method: 'POST', url, payload: { description: 'x' } })
  t.equal(keyless.statusCode, 401)
  t.equal(keyless.json().error.ErrorCode, 'GS401')
  t.equal(await app.db.prisma.roamGroup.count(), 0, 'no group was created')
})

t.test('POST /v1/api/group/user/ puts users of the project in the group', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const group = await createGroup(client)
  const [a, b, outside] = [await createUser(client), await createUser(client), await createUser(client)]

  const response = await addUsers(client, { group_id: group, users: [a, b] })
  t.equal(response.statusCode, 201)
  t.same(response.json(), { status: true, msg: 'Success.', code: 201, data: 'Users grouped successfully.' })
  const stored = await app.db.prisma.roamUser.findMany({ select: { id: true, groupId: true } })
  t.same(Object.fromEntries(stored.map((user) => [user.id, user.groupId])), { [a]: group, [b]: group, [outside]: null })

  const today = new Date().toISOString().slice(0, 10)
  const listed = await client.inject({ method: 'GET', url: `/v1/api/user/?start_date=${today}&end_date=${today}&group_id=${group}` })
  t.same(listed.json().data.users.map((user: { id: string }) => user.id).sort(), [a, b].sort(), 'listed by group')

  const second = await createGroup(client, 'Night shift')
  t.equal((await addUsers(client, { group_id: second, users: [a] })).statusCode, 201)
  t.equal((await app.db.prisma.roamUser.findUniqueOrThrow({ where: { id: a } })).groupId, second, 'a user moves to the new group')
  const put = await client.inject({ method: 'PUT', url: '/v1/api/user/', payload: { user_id: a } })
  t.equal(put.json().data.group_id, second, 'the user object shows its group')
})

t.test('all or nothing: one bad user, or a bad group, changes nobody', async (t) => {
  const app = await build(t)
  const owner = await roamClient(app, 'account-a')
  const sibling = await roamClient(app, 'account-a') // another project of the same account
  const stranger = await roamClient(app, 'account-b')
  const group = await createGroup(owner)
  const siblingGroup = await createGroup(sibling)
  const strangerGroup = await createGroup(stranger)
  const mine = await createUser(owner)
  const deleted = await createUser(owner)
  await owner.inject({ method: 'DELETE', url: `/v1/api/user/?user_id=${deleted}` })
  const siblings = await createUser(sibling)
  const strangers = await createUser(stranger)
  const before = await usersSnapshot(app)

  const unknownId = 'ffffffffffffffffffffffff'
  const baseline = await addUsers(owner, { group_id: group, users: [mine, unknownId] })
  t.equal(baseline.statusCode, 400)
  t.same(baseline.json(), unknownUser)
  for (const [name, foreign] of [['another project\'s user', siblings], ['another account\'s user', strangers], ['a deleted user', deleted]]) {
    const response = await addUsers(owner, { group_id: group, users: [mine, foreign] })
    t.equal(response.statusCode, 400, name)
    t.equal(response.body, baseline.body, `${name}: byte-identical to an unknown id`)
  }
  t.equal((await addUsers(owner, { group_id: group, users: [siblings] })).body, baseline.body, 'only foreign users')

  const noGroup = await addUsers(owner, { group_id: unknownId, users: [mine] })
  t.equal(noGroup.statusCode, 400)
  t.same(noGroup.json(), unknownGroup)
  for (const foreign of [siblingGroup, strangerGroup]) {
    const response = await addUsers(owner, { group_id: foreign, users: [mine] })
    t.equal(response.body, noGroup.body, 'another project\'s group: byte-identical to an unknown group')
  }
  const theirsIntoMine = await addUsers(sibling, { group_id: group, users: [siblings] })
  t.equal(theirsIntoMine.body, noGroup.body, 'nor can another project put its users in my group')

  t.same(await usersSnapshot(app), before, 'nothing changed anywhere')
})

t.test('invalid add-users bodies answer GS402 and change nothing', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const group = await createGroup(client)
  const user = await createUser(client)
  const before = await usersSnapshot(app)

  const cases: Array<[string, unknown, Record<string, string[]>]> = [
    ['nothing', {}, { group_id: ['This field is required.'], users: ['This field is required.'] }],
    ['no users', { group_id: group, users: [] }, { users: ['This list may not be empty.'] }],
    ['a repeated user', { group_id: group, users: [user, user] }, { users: ['Items must be unique.'] }],
    ['a malformed user id', { group_id: group, users: ['nope'] }, { users: ['This field is invalid.'] }],
    ['a malformed group id', { group_id: 'nope', users: [user] }, { group_id: ['This field is invalid.'] }],
    ['users not a list', { group_id: group, users: user }, { users: ['Expected a list of items.'] }],
    ['too many users', { group_id: group, users: Array.from({ length: 1001 }, (_, i) => i.toString(16).padStart(24, '0')) }, { users: ['Ensure this field has no more than 1000 elements.'] }]
  ]
  for (const [name, payload, details] of cases) {
    const response = await addUsers(client, payload as object)
    t.equal(response.statusCode, 400, name)
    t.same(response.json(), { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS402', ErrorMessage: 'Invalid request', details } }, name)
  }
  const url = '/v1/api/group/user/'
  const headers = { 'api-key': client.api_key, 'content-type': 'application/json' }
  const malformed = await app.inject({ method: 'POST', url, headers, payload: `{"group_id":"${group}",` })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.json().error.ErrorCode, 'GS400')
  const text = await app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'text/plain' }, payload: JSON.stringify({ group_id: group, users: [user] }) })
  t.equal(text.statusCode, 415)
  t.match(text.json(), { status: false, code: 415, error: { ErrorCode: 'GS400' } })
  const large = await addUsers(client, { group_id: group, users: [user], padding: 'x'.repeat(70_000) })
  t.equal(large.statusCode, 413)
  t.match(large.json(), { status: false, code: 413, error: { ErrorCode: 'GS400' } })
  const keyless = await app.inject({ method: 'POST', url, payload: { group_id: group, users: [user] } })
  t.equal(keyless.statusCode, 401)
  t.same(keyless.json().error, { ErrorCode: 'GS401', ErrorMessage: 'Invalid Api key', details: 'No Api key in Header provided' })
  t.same(await usersSnapshot(app), before, 'nothing changed')
})
