// Optimistic concurrency on Plaspy users (an extension): ETag on answers that carry one user, If-Match on
// PUT, PATCH and DELETE /api/users/{userId}, 412 in Plaspy's envelope when stale, and nothing changed then.
import t from 'tap'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { build, plaspyClient } from '../helper.js'
import { minimal, row, snapshot, withoutUsage, type Client } from '../helpers/plaspy.js'

const staleMessage = 'If-Match does not name the current version of the user.'
const unknownId = 'usr-0000000000000000'

type Method = 'GET' | 'PUT' | 'PATCH' | 'DELETE'

/** What each method sends, so that one table drives the tests of all the writes. */
const requests: Record<Exclude<Method, 'GET'>, (label: string) => InjectOptions> = {
  PUT: (label) => ({ method: 'PUT', payload: { ...minimal, description: label } }),
  PATCH: (label) => ({ method: 'PATCH', payload: [{ op: 'replace', path: '/description', value: label }] }),
  DELETE: () => ({ method: 'DELETE' })
}

function send (client: Client, id: string, request: InjectOptions, ifMatch?: string): Promise<LightMyRequestResponse> {
  const headers = ifMatch === undefined ? {} : { 'if-match': ifMatch }
  return client.inject({ ...request, url: `/api/users/${id}`, headers })
}

async function createUser (client: Client): Promise<{ id: string, etag: string }> {
  const response = await client.inject({ method: 'POST', url: '/api/users', payload: minimal })
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.body}`)
  return { id: response.json().id, etag: String(response.headers.etag) }
}

t.test('ETag is the version of the user, on every answer that carries one user, and moves with each write', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const { id, etag } = await createUser(client)
  t.equal(etag, `"${(await row(app, id)).version}"`, 'POST answers the ETag of the row it created')

  const got = await send(client, id, { method: 'GET' })
  t.equal(got.statusCode, 200)
  t.equal(got.headers.etag, etag, 'GET answers the same ETag')
  const list = await client.inject({ url: '/api/users' })
  t.equal(list.statusCode, 200)
  t.notOk('etag' in list.headers, 'a list carries no ETag')

  const seen = new Set([etag])
  for (const method of ['PUT', 'PATCH'] as const) {
    const response = await send(client, id, requests[method](method))
    t.equal(response.statusCode, 200, method)
    const next = String(response.headers.etag)
    t.equal(next, `"${(await row(app, id)).version}"`, `${method} answers the ETag of the row it wrote`)
    t.notOk(seen.has(next), `a new ETag after ${method}`)
    seen.add(next)
  }
  t.equal((await send(client, id, { method: 'GET' })).headers.etag, [...seen].at(-1))
})

t.test('signing in sets lastLogin, which GET shows, so the ETag moves', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const before = (await send(client, client.user_id, { method: 'GET' })).headers.etag
  const signIn = await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: client.userName, apiKey: client.api_key } })
  t.equal(signIn.statusCode, 200)
  const after = (await send(client, client.user_id, { method: 'GET' })).headers.etag
  t.not(after, before)
  t.equal(after, `"${(await row(app, client.user_id)).version}"`)
})

for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
  t.test(`${method}: If-Match current, stale, absent, * and weak`, async (t) => {
    const app = await build(t)
    const client = await plaspyClient(app)
    const { id, etag } = await createUser(client)
    t.equal((await send(client, id, requests.PUT('moved'))).statusCode, 200, 'another write lands first')
    const before = await snapshot(app)

    for (const ifMatch of [etag, `W/"${(await row(app, id)).version}"`, '"999", W/"1000"']) {
      const refused = await send(client, id, requests[method]('lost'), ifMatch)
      t.equal(refused.statusCode, 412, `If-Match: ${ifMatch}`)
      t.same(withoutUsage(refused.json()), { success: false, error: staleMessage })
      t.type(refused.json().apiUsage, 'number', 'the request was counted')
      t.notOk('etag' in refused.headers)
      t.same(await snapshot(app), before, 'nothing changed')
    }

    const current = String((await send(client, id, { method: 'GET' })).headers.etag)
    const accepted = await send(client, id, requests[method]('won'), `"999", ${current}`)
    t.equal(accepted.statusCode, 200, 'a list with the current strong tag matches')
    if (method === 'DELETE') {
      t.equal(await app.db.prisma.plaspyUser.count({ where: { id } }), 0, 'deleted')
      return
    }
    t.equal((await row(app, id)).description, 'won')
    t.not(accepted.headers.etag, current, 'a new ETag')

    const star = await send(client, id, requests[method]('star'), '*')
    t.equal(star.statusCode, 200, 'If-Match: * matches whatever the version')
    const none = await send(client, id, requests[method]('none'))
    t.equal(none.statusCode, 200, 'no If-Match: as ever')
    t.equal((await row(app, id)).description, 'none')
  })

  t.test(`${method}: an unknown or another account's user answers 404 whatever the If-Match`, async (t) => {
    const app = await build(t)
    const owner = await plaspyClient(app, { accountName: 'account-a' })
    const intruder = await plaspyClient(app, { accountName: 'account-b' })
    const { id, etag } = await createUser(owner)
    const before = await snapshot(app)
    for (const ifMatch of [etag, '"999"', '*']) {
      const unknown = await send(intruder, unknownId, requests[method]('x'), ifMatch)
      const foreign = await send(intruder, id, requests[method]('x'), ifMatch)
      t.equal(unknown.statusCode, 404, `If-Match: ${ifMatch}`)
      t.equal(foreign.statusCode, unknown.statusCode)
      t.same(withoutUsage(foreign.json()), withoutUsage(unknown.json()))
      t.same(withoutUsage(foreign.json()), { success: false, error: 'User not found.' })
    }
    t.same(await snapshot(app), before, 'nothing changed')
  })
}

t.test('a malformed If-Match is invalid input: 400, nothing changed', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const { id, etag } = await createUser(client)
  const before = await snapshot(app)
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    for (const header of [etag.slice(1, -1), `${etag}x`, '"1', '**', 'W/1']) {
      const response = await send(client, id, requests[method]('malformed'), header)
      t.equal(response.statusCode, 400, `${method} If-Match: ${header}`)
      t.same(withoutUsage(response.json()), { success: false, error: 'Invalid input. if-match: This field is invalid.' })
    }
  }
  t.same(await snapshot(app), before)
})

t.test('PATCH with If-Match applies to exactly the version named: a failing test is still 400', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const { id, etag } = await createUser(client)
  const failing = await send(client, id, { method: 'PATCH', payload: [{ op: 'test', path: '/name', value: 'nobody' }] }, etag)
  t.equal(failing.statusCode, 400)
  t.equal(failing.json().error, 'Invalid patch operation')
  t.equal((await row(app, id)).version, 1, 'nothing written')
})

for (const method of ['PUT', 'PATCH'] as const) {
  t.test(`concurrent ${method}s with the same If-Match: exactly one lands`, async (t) => {
    const app = await build(t)
    const client = await plaspyClient(app)
    const { id, etag } = await createUser(client)
    const writers = 8
    const responses = await Promise.all(Array.from({ length: writers }, (_, i) => send(client, id, requests[method](`writer ${i}`), etag)))
    t.same(responses.map((response) => response.statusCode).sort(), [200, ...Array(writers - 1).fill(412)])
    const winner = responses.find((response) => response.statusCode === 200)!
    const after = await row(app, id)
    t.equal(after.description, winner.json().description, 'the row holds the one write acknowledged')
    t.equal(`"${after.version}"`, winner.headers.etag)
  })
}
