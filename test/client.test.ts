// The typed client (`tracker-users/client`, as a user of the package imports it) against a listening server:
// both dialects, create + update + get, every answer typed from openapi.yaml.
import t from 'tap'
import { createTrackerClient, signInPlaspy } from 'tracker-users/client'
import { build } from './helper.js'
import { createLogin } from '../src/plaspy/logins.js'
import { createRoamKey } from '../src/roam/keys.js'

t.test('Roam and Plaspy through the typed client', async (t) => {
  const app = await build(t)
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 })
  const roamKey = await createRoamKey(app.db, 'acme')
  const login = await createLogin(app.db, { accountName: 'acme', userName: 'jane', email: 'jane@example.com' })

  t.test('Roam: create, update, get', async (t) => {
    const roam = createTrackerClient(baseUrl, { roamApiKey: roamKey.api_key })
    const created = await roam.POST('/v1/api/user/', { body: { app_type: 1, device_token: 'device-1', description: 'first', metadata: {} } })
    t.equal(created.response.status, 201)
    const userId: string = created.data!.data.user_id // typed: a wrong property would not compile
    const updated = await roam.PUT('/v1/api/user/', { body: { user_id: userId, description: 'ROAM111', metadata: { name: 'ROAM123' } } })
    t.equal(updated.response.status, 200)
    t.same([updated.data?.data.description, updated.data?.data.metadata], ['ROAM111', { name: 'ROAM123' }])
    const got = await roam.GET('/v1/api/user/', { params: { query: { user_id: userId } } })
    t.equal(got.response.status, 200)
    t.same(got.data?.data.users.map((user) => [user.id, user.description]), [[userId, 'ROAM111']])

    const refused = await createTrackerClient(baseUrl, { roamApiKey: 'wrong' }).GET('/v1/api/user/', { params: { query: { user_id: userId } } })
    t.equal(refused.response.status, 401)
    t.equal(refused.error?.error.ErrorCode, 'GS401', 'errors are typed too')
  })

  t.test('Plaspy: sign in, create, update, get', async (t) => {
    const plaspy = await signInPlaspy(baseUrl, { userName: login.userName, apiKey: login.api_key })
    const created = await plaspy.POST('/api/users', { body: { name: 'John Smith', email: 'john@example.com', country: 'US', timeZone: 'UTC' } })
    t.equal(created.response.status, 201)
    const id = created.data!.id
    const updated = await plaspy.PUT('/api/users/{userId}', {
      params: { path: { userId: id } },
      body: { name: 'Jane Doe', email: 'jane.doe@example.com', country: 'USA', timeZone: 'America/Los_Angeles', group: 'Marketing' }
    })
    t.equal(updated.response.status, 200)
    t.match(updated.data, { id, name: 'Jane Doe', group: 'Marketing', password: null })
    const got = await plaspy.GET('/api/users/{userId}', { params: { path: { userId: id } } })
    t.equal(got.data?.apiUsage, 3, 'the typed usage counters')
    t.equal(got.data?.timeZone, 'America/Los_Angeles')

    const missing = await plaspy.GET('/api/users/{userId}', { params: { path: { userId: 'usr-unknown' } } })
    t.equal(missing.response.status, 404)
    t.equal(missing.error?.error, 'User not found.')
    await t.rejects(signInPlaspy(baseUrl, { userName: login.userName, apiKey: 'wrong' }), /Plaspy sign-in failed/)
  })
})
