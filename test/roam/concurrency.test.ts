// Optimistic concurrency on Roam users (an extension): ETag on answers that carry one user, If-Match on
// PUT and DELETE /v1/api/user/, 412 in Roam's envelope when stale, and nothing changed then.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { build, roamClient } from '../helper.js'
import type { App } from '../../src/app.js'

type Client = Awaited<ReturnType<typeof roamClient>>

const stale = {
  status: false,
  msg: 'Error Occured.',
  code: 412,
  error: { ErrorCode: 'GS400', ErrorMessage: 'Precondition failed', details: 'If-Match does not name the current version of the user.' }
}

async function createUser (client: Client): Promise<{ id: string, etag: string }> {
  const response = await client.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'token-1' } })
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.body}`)
  return { id: response.json().data.user_id, etag: String(response.headers.etag) }
}

function update (client: Client, id: string, description: string, ifMatch?: string): Promise<LightMyRequestResponse> {
  const headers = ifMatch === undefined ? {} : { 'if-match': ifMatch }
  return client.inject({ method: 'PUT', url: '/v1/api/user/', headers, payload: { user_id: id, description } })
}

function remove (client: Client, id: string, ifMatch?: string): Promise<LightMyRequestResponse> {
  const headers = ifMatch === undefined ? {} : { 'if-match': ifMatch }
  return client.inject({ method: 'DELETE', url: `/v1/api/user/?user_id=${id}`, headers })
}

function row (app: App, id: string) {
  return app.db.prisma.roamUser.findUniqueOrThrow({ where: { id } })
}

t.test('ETag is the version of the user, on every answer that carries one user, and moves with each write', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id, etag } = await createUser(client)
  t.equal(etag, `"${(await row(app, id)).version}"`, 'POST answers the ETag of the row it created')

  const single = await client.inject({ url: `/v1/api/user/?user_id=${id}` })
  t.equal(single.statusCode, 200)
  t.equal(single.headers.etag, etag, 'GET ?user_id= answers the same ETag')

  const list = await client.inject({ url: '/v1/api/user/?start_date=2000-01-01&end_date=2999-12-31' })
  t.equal(list.statusCode, 200)
  t.equal(list.json().data.users.length, 1)
  t.notOk('etag' in list.headers, 'a list carries no ETag')

  const seen = new Set([etag])
  for (const description of ['one', 'two', 'three']) {
    const response = await update(client, id, description)
    t.equal(response.statusCode, 200)
    const next = String(response.headers.etag)
    t.equal(next, `"${(await row(app, id)).version}"`, 'PUT answers the ETag of the row it wrote')
    t.notOk(seen.has(next), `a new ETag after updating to ${description}`)
    seen.add(next)
  }
  t.equal((await client.inject({ url: `/v1/api/user/?user_id=${id}` })).headers.etag, [...seen].at(-1))
})

t.test('If-Match with the current ETag updates and answers the next one', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id, etag } = await createUser(client)
  const response = await update(client, id, 'matched', etag)
  t.equal(response.statusCode, 200)
  t.equal(response.json().data.description, 'matched')
  t.not(response.headers.etag, etag)
  t.equal((await row(app, id)).description, 'matched')
})

t.test('a stale If-Match answers 412 in Roam\'s envelope and changes nothing', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id, etag } = await createUser(client)
  t.equal((await update(client, id, 'someone else')).statusCode, 200)
  const before = await row(app, id)

  const response = await update(client, id, 'lost update', etag)
  t.equal(response.statusCode, 412)
  t.same(response.json(), stale)
  t.notOk('etag' in response.headers)
  t.same(await row(app, id), before, 'the row is as it was')
})

t.test('without If-Match an update behaves as ever, however stale the client', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id } = await createUser(client)
  t.equal((await update(client, id, 'first')).statusCode, 200)
  const response = await update(client, id, 'second')
  t.equal(response.statusCode, 200)
  t.equal((await row(app, id)).description, 'second')
})

t.test('If-Match: * matches any version of a user that exists', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id } = await createUser(client)
  t.equal((await update(client, id, 'moved')).statusCode, 200)
  const response = await update(client, id, 'star', '*')
  t.equal(response.statusCode, 200)
  t.equal((await row(app, id)).description, 'star')

  const unknown = await update(client, 'ffffffffffffffffffffffff', 'star', '*')
  t.equal(unknown.statusCode, 400)
  t.equal(unknown.json().error.details, 'User does not exist.')
})

t.test('entity tags are compared strongly: a weak tag never matches, any strong one of a list may', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id, etag } = await createUser(client)
  const before = await row(app, id)

  const weak = await update(client, id, 'weak', `W/${etag}`)
  t.equal(weak.statusCode, 412, 'W/ of the current tag does not match')
  t.same(await row(app, id), before)

  const listed = await update(client, id, 'listed', `"999", ${etag}, W/"1000"`)
  t.equal(listed.statusCode, 200, 'a list matches when one strong tag is current')
  t.equal((await row(app, id)).description, 'listed')

  const foreign = await update(client, id, 'foreign', '"not-a-version", "0", "99999999999"')
  t.equal(foreign.statusCode, 412, 'well-formed tags this server never answers do not match')
})

t.test('a malformed If-Match is invalid input: GS402, nothing changed', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id, etag } = await createUser(client)
  const before = await row(app, id)
  for (const header of [etag.slice(1, -1), `${etag}x`, '"1', '**', 'W/1', '"a"b"']) {
    const response = await update(client, id, 'malformed', header)
    t.equal(response.statusCode, 400, header)
    t.same(response.json().error, { ErrorCode: 'GS402', ErrorMessage: 'Invalid request', details: { 'if-match': ['This field is invalid.'] } })
  }
  t.same(await row(app, id), before)
})

t.test('another project\'s user with its own current ETag answers exactly like an unknown user', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const other = await roamClient(app, 'other')
  const { id, etag } = await createUser(other)
  const before = await row(app, id)

  const unknown = await update(client, 'ffffffffffffffffffffffff', 'x', etag)
  t.equal(unknown.statusCode, 400)
  for (const ifMatch of [etag, '"999"', '*']) {
    const response = await update(client, id, 'x', ifMatch)
    t.equal(response.statusCode, unknown.statusCode, `PUT If-Match: ${ifMatch}`)
    t.same(response.json(), unknown.json())
    const deleted = await remove(client, id, ifMatch)
    t.same([deleted.statusCode, deleted.json()], [unknown.statusCode, unknown.json()], `DELETE If-Match: ${ifMatch}`)
  }
  t.same(await row(app, id), before, 'the other project\'s user is untouched')
})

t.test('DELETE honours If-Match: stale keeps the user, current deletes it', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id, etag } = await createUser(client)
  const updated = await update(client, id, 'moved')
  const before = await row(app, id)

  const refused = await remove(client, id, etag)
  t.equal(refused.statusCode, 412)
  t.same(refused.json(), stale)
  t.same(await row(app, id), before, 'not deleted')

  const deleted = await remove(client, id, String(updated.headers.etag))
  t.equal(deleted.statusCode, 200)
  t.equal((await row(app, id)).isDeleted, true)

  const again = await remove(client, id, String(updated.headers.etag))
  t.equal(again.statusCode, 400, 'a deleted user is unknown, If-Match or not')
  t.equal(again.json().error.details, 'User does not exist.')
})

t.test('joining a group changes the user, so its ETag moves', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id, etag } = await createUser(client)
  const group = await client.inject({ method: 'POST', url: '/v1/api/group/', payload: { description: 'g' } })
  const grouped = await client.inject({
    method: 'POST', url: '/v1/api/group/user/', payload: { group_id: group.json().data.group_id, users: [id] }
  })
  t.equal(grouped.statusCode, 201)
  const current = (await client.inject({ url: `/v1/api/user/?user_id=${id}` })).headers.etag
  t.not(current, etag)
  t.equal((await update(client, id, 'stale', etag)).statusCode, 412)
  t.equal((await update(client, id, 'fresh', String(current))).statusCode, 200)
})

t.test('concurrent updates with the same If-Match: exactly one lands', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const { id, etag } = await createUser(client)
  const writers = 8
  const responses = await Promise.all(Array.from({ length: writers }, (_, i) => update(client, id, `writer ${i}`, etag)))
  const statuses = responses.map((response) => response.statusCode).sort()
  t.same(statuses, [200, ...Array(writers - 1).fill(412)])
  const winner = responses.find((response) => response.statusCode === 200)!
  const after = await row(app, id)
  t.equal(after.description, winner.json().data.description, 'the row holds the one write acknowledged')
  t.equal(`"${after.version}"`, winner.headers.etag)
})
