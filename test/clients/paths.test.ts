// Paths as the vendors' own frameworks route them, which their clients rely on: Plaspy's ASP.NET Core ignores
// case and a trailing slash; Roam's Django redirects a GET that lacks its trailing slash. A known path with
// another method is 405 with Allow, in the dialect's envelope. No other path changes meaning.
import t from 'tap'
import { build, plaspyClient, roamClient } from '../helper.js'
import { createUser, minimal } from '../helpers/plaspy.js'

t.test('Plaspy paths ignore case and a trailing slash, and keep parameters as sent', async (t) => {
  const app = await build(t)
  const plaspy = await plaspyClient(app)
  const id = await createUser(plaspy)

  for (const url of ['/api/auth/token', '/API/AUTH/TOKEN', '/api/Auth/Token/']) {
    const token = await app.inject({ method: 'POST', url, payload: { userName: plaspy.userName, apiKey: plaspy.api_key } })
    t.equal(token.statusCode, 200, `POST ${url}`)
    t.match(token.json(), { success: true, token: String })
  }
  for (const url of ['/api/users/timezones', '/api/Users/TimeZones/', '/api/users/timeZones']) {
    const zones = await plaspy.inject({ url })
    t.equal(zones.statusCode, 200, `GET ${url}`)
    t.ok(zones.json().timeZones['America/Argentina/Buenos_Aires'] !== undefined, `${url}: the zones, not a user of that id`)
  }
  t.equal((await plaspy.inject({ url: '/api/users/COUNTRIES' })).json().success, true)
  const listed = await plaspy.inject({ url: '/api/users/' })
  t.equal(listed.statusCode, 200, 'GET /api/users/')
  t.ok(listed.json().users.some((user: { id: string }) => user.id === id), 'lists the account')
  const created = await plaspy.inject({ method: 'POST', url: '/API/Users/', payload: { ...minimal, email: 'upper@example.com' } })
  t.equal(created.statusCode, 201, 'POST /API/Users/')

  const read = await plaspy.inject({ url: `/API/USERS/${id}/?x=1` })
  t.equal(read.statusCode, 200, 'a user by id under any case, with a trailing slash and a query')
  t.equal(read.json().id, id)
  const wrongCase = await plaspy.inject({ url: `/api/users/${id.toUpperCase()}` })
  t.equal(wrongCase.statusCode, 404, 'an id is matched as sent')
  t.match(wrongCase.json(), { success: false, error: 'User not found.' })

  for (const url of ['/api/users//', '/api/userss', '/api//users', '/api/users/a/b']) {
    const unknown = await plaspy.inject({ url })
    t.equal(unknown.statusCode, 404, `${url}: no route`)
  }
})

t.test('Roam: a GET without the trailing slash is redirected to it, query kept; other methods are not', async (t) => {
  const app = await build(t)
  const roam = await roamClient(app)
  const redirected = await roam.inject({ url: '/v1/api/user?start_date=2024-01-01&end_date=2024-01-02' })
  t.equal(redirected.statusCode, 301)
  t.equal(redirected.headers.location, '/v1/api/user/?start_date=2024-01-01&end_date=2024-01-02')
  t.equal((await roam.inject({ url: redirected.headers.location as string })).statusCode, 200, 'and the target answers')
  const post = await roam.inject({ method: 'POST', url: '/v1/api/user', payload: { app_type: 1, device_token: 't' } })
  t.equal(post.statusCode, 404, 'a POST is not redirected (its body would be lost)')
  t.equal((await roam.inject({ url: '/V1/API/USER/' })).statusCode, 404, 'Roam paths keep their case')
})

t.test('a known path with another method: 405 with Allow, in the dialect\'s envelope', async (t) => {
  const app = await build(t)
  const roam = await roamClient(app)
  const plaspy = await plaspyClient(app)

  const roamPatch = await roam.inject({ method: 'PATCH', url: '/v1/api/user/' })
  t.equal(roamPatch.statusCode, 405)
  t.equal(roamPatch.headers.allow, 'GET, HEAD, POST, PUT, DELETE')
  t.same(roamPatch.json(), { status: false, msg: 'Error Occured.', code: 405, error: { ErrorCode: 'GS400', ErrorMessage: 'Method not allowed', details: 'Method "PATCH" not allowed.' } })

  const plaspyDelete = await plaspy.inject({ method: 'DELETE', url: '/api/users' })
  t.equal(plaspyDelete.statusCode, 405)
  t.equal(plaspyDelete.headers.allow, 'GET, HEAD, POST')
  t.same(plaspyDelete.json(), { success: false, error: 'Method "DELETE" not allowed.' })
  t.equal((await plaspy.inject({ method: 'GET', url: '/api/auth/token' })).headers.allow, 'POST', 'after the path is matched as ASP.NET Core does')

  const unknown = await roam.inject({ method: 'PATCH', url: '/v1/api/nothing/' })
  t.equal(unknown.statusCode, 404, 'an unknown path stays 404')
})

t.test('GET / points whoever opens the server\'s address to the docs', async (t) => {
  const app = await build(t)
  const root = await app.inject({ url: '/' })
  t.equal(root.statusCode, 302)
  t.equal(root.headers.location, '/docs')
  t.equal((await app.inject({ url: '/docs' })).statusCode, 200, 'where Swagger UI answers')
})
