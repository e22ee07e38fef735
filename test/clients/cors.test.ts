// Browser apps: CORS is off unless CORS_ORIGINS names origins; then their preflights and calls are answered
// with the headers a browser needs to send the credentials headers and read the answers.
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { build, plaspyClient, roamClient } from '../helper.js'

const app = 'https://app.example.com'

t.test('off by default: no CORS header, and a preflight is no operation', async (t) => {
  const server = await build(t)
  const roam = await roamClient(server)
  const call = await roam.inject({ url: '/v1/api/user/', headers: { origin: app } })
  t.equal(call.statusCode, 200)
  t.equal(call.headers['access-control-allow-origin'], undefined)
  const preflight = await server.inject({ method: 'OPTIONS', url: '/v1/api/user/', headers: { origin: app, 'access-control-request-method': 'PUT' } })
  t.equal(preflight.headers['access-control-allow-origin'], undefined)
  t.equal(preflight.statusCode, 405, 'OPTIONS is no method of the path')
})

t.test('for the origins named: preflights allow the credential headers, answers expose ETag and Retry-After', async (t) => {
  const server = await build(t, { corsOrigins: [app] })
  const roam = await roamClient(server)
  const plaspy = await plaspyClient(server)
  const preflight = await server.inject({
    method: 'OPTIONS',
    url: '/api/users/usr-1',
    headers: { origin: app, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type,if-match' }
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], app)
  t.match(preflight.headers['access-control-allow-methods'], /PATCH/)
  t.match(String(preflight.headers['access-control-allow-headers']).toLowerCase(), /api-key.*authorization.*content-type.*if-match/)

  const roamCall = await roam.inject({ url: '/v1/api/user/', headers: { origin: app } })
  t.equal(roamCall.headers['access-control-allow-origin'], app)
  t.match(roamCall.headers['access-control-expose-headers'], /ETag.*Retry-After.*X-Request-Id/)
  const plaspyCall = await plaspy.inject({ url: '/api/users', headers: { origin: app } })
  t.equal(plaspyCall.headers['access-control-allow-origin'], app, 'Plaspy too')

  const stranger = await roam.inject({ url: '/v1/api/user/', headers: { origin: 'https://evil.example' } })
  t.equal(stranger.headers['access-control-allow-origin'], undefined, 'another origin gets no CORS header')
  const unknown = await server.inject({ method: 'PATCH', url: '/v1/api/nothing/' })
  t.equal(unknown.statusCode, 404, 'an unknown path is still 404, not a method of the preflight route')
})

t.test('CORS_ORIGINS: origins or *, checked at start', async (t) => {
  t.same(loadConfig({}).corsOrigins, [])
  t.same(loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).corsOrigins, ['https://a.example', 'http://localhost:5173'])
  t.same(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins, ['*'])
  for (const bad of ['a.example', 'https://a.example/path', 'ftp://a.example', 'https://a.example/']) {
    t.throws(() => loadConfig({ CORS_ORIGINS: bad }), /CORS_ORIGINS must be origins/, bad)
  }
})
