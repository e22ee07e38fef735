// Clients that set `Content-Type: application/json` on every request, body or not (axios defaults, Retrofit
// interceptors, Python `requests` sessions with a JSON header): an empty body is no body.
import t from 'tap'
import { build, plaspyClient, roamClient } from '../helper.js'
import { createUser, row } from '../helpers/plaspy.js'

const json = { 'Content-Type': 'application/json' }

t.test('Plaspy DELETE and Roam DELETE with a JSON Content-Type and no body delete the user', async (t) => {
  const app = await build(t)
  const plaspy = await plaspyClient(app)
  const roam = await roamClient(app)
  const id = await createUser(plaspy)
  const deleted = await plaspy.inject({ method: 'DELETE', url: `/api/users/${id}`, headers: json })
  t.equal(deleted.statusCode, 200, deleted.body)
  t.equal(await app.db.prisma.plaspyUser.count({ where: { id } }), 0, 'the user is gone')

  const created = await roam.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 't' } })
  const userId = created.json().data.user_id
  const roamDeleted = await roam.inject({ method: 'DELETE', url: `/v1/api/user/?user_id=${userId}`, headers: json, payload: '' })
  t.equal(roamDeleted.statusCode, 200, roamDeleted.body)
  t.equal((await app.db.prisma.roamUser.findUniqueOrThrow({ where: { id: userId } })).isDeleted, true, 'the user is deleted')
})

t.test('Roam Create Group with an empty body is Create Group with {}', async (t) => {
  const app = await build(t)
  const roam = await roamClient(app)
  for (const payload of ['', ' \r\n']) {
    const response = await roam.inject({ method: 'POST', url: '/v1/api/group/', headers: json, payload })
    t.equal(response.statusCode, 201, response.body)
    t.match(response.json(), { status: true, code: 201, data: { group_id: /^[0-9a-f]{24}$/, description: null } })
  }
  t.equal(await app.db.prisma.roamGroup.count(), 2, 'two groups were made')
})

t.test('where a body is required, an empty one gets the schema\'s error, not "Malformed JSON body."', async (t) => {
  const app = await build(t)
  const roam = await roamClient(app)
  const plaspy = await plaspyClient(app)
  const id = await createUser(plaspy)
  const before = await row(app, id)
  const roamPut = await roam.inject({ method: 'PUT', url: '/v1/api/user/', headers: json, payload: '' })
  t.equal(roamPut.statusCode, 400)
  t.match(roamPut.json(), { status: false, error: { ErrorCode: 'GS402', details: { non_field_errors: ['Expected a dictionary of items.'] } } })
  const plaspyPut = await plaspy.inject({ method: 'PUT', url: `/api/users/${id}`, headers: json, payload: '' })
  t.equal(plaspyPut.statusCode, 400)
  t.notMatch(plaspyPut.json().error, /Malformed/)
  t.same(await row(app, id), before, 'nothing changed')
  const malformed = await roam.inject({ method: 'PUT', url: '/v1/api/user/', headers: json, payload: '{"user_id":' })
  t.match(malformed.json(), { error: { ErrorCode: 'GS400', details: 'Malformed JSON body.' } }, 'malformed JSON is still malformed')
})
