// The real thing over HTTP: credentials minted with the CLI, the server started as `npm start` starts it,
// both seeds' sample requests sent verbatim (host, key, token and ids substituted), then SIGTERM.
import { once } from 'node:events'
import t from 'tap'
import { testDatabaseUrl } from './helpers/database.js'
import { mint, startServer } from './helpers/server.js'

// The answers are checked field by field below; their static type adds nothing here.
const json = (response: Response) => response.json() as Promise<any>

t.test('npm start serves both seed requests, logs no secret, and stops cleanly on SIGTERM', async (t) => {
  const databaseUrl = await testDatabaseUrl(t)
  const roamKey = await mint(databaseUrl, 'roam-key', 'create', '--account', 'acme')
  const plaspyLogin = await mint(databaseUrl, 'plaspy-user', 'create', '--account', 'acme', '--user', 'jane', '--email', 'jane@example.com')
  const { base, log, process: server } = await startServer(t, { DATABASE_URL: databaseUrl })

  // Roam: create a user, then the seed's PUT with its own header spelling.
  const created = await json(await fetch(`${base}/v1/api/user/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Api-key': roamKey.api_key },
    body: JSON.stringify({ app_type: 1, device_token: 'your-device-token', description: 'device description', metadata: {} })
  }))
  const roam = await fetch(`${base}/v1/api/user/`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'APi-Key': roamKey.api_key },
    body: `{
  "user_id": "${created.data.user_id}",
  "description": "ROAM111",
  "metadata" :{"name": "ROAM123" },
  "geofence_events": false,
  "motion_events": false,
  "location_events": false,
  "trips_events": false,
  "nearby_events": false,
  "location_listener": false,
  "event_listener": false
}`
  })
  t.equal(roam.status, 200)
  const roamBody = await json(roam)
  t.match(roamBody, { status: true, msg: 'Success.', code: 200, data: { id: created.data.user_id, description: 'ROAM111', metadata: { name: 'ROAM123' } } })
  t.match(roamBody.data.updated_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/)

  // Plaspy: a token, a user, then the seed's PUT.
  const { token } = await json(await fetch(`${base}/api/Auth/Token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userName: 'jane', apiKey: plaspyLogin.api_key })
  }))
  const auth = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }
  const user = await json(await fetch(`${base}/api/users`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: 'John', email: 'john@example.com', country: 'US', timeZone: 'UTC' })
  }))
  const plaspy = await fetch(`${base}/api/users/${user.id}`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({
      name: 'Jane Doe', email: 'jane.doe@example.com', country: 'USA', timeZone: 'America/Los_Angeles',
      description: 'Updated user for the marketing department', tags: { role: 'user', department: 'marketing' },
      privileges: ['read', 'write'], group: 'Marketing', deviceId: 'dev-12345', adminDevices: 2,
      from: '2023-01-01T00:00:00Z', expires: '2024-01-01T00:00:00Z', password: 'P@ssw0rd123',
      creation: '2023-01-01T00:00:00Z', modification: '2023-06-01T00:00:00Z', lastLogin: '2024-05-01T00:00:00Z'
    })
  })
  t.equal(plaspy.status, 200)
  t.match(await json(plaspy), { success: true, id: user.id, name: 'Jane Doe', country: 'USA', password: null, apiUsage: 2, apiDailyUsage: 2 })

  server.kill('SIGTERM')
  const [code] = await once(server, 'exit')
  t.equal(code, 0, 'SIGTERM closes gracefully with exit code 0')
  t.match(log(), /incoming request/, 'requests were logged')
  for (const secret of [roamKey.api_key, plaspyLogin.api_key, token, 'P@ssw0rd123']) {
    t.notOk(log().includes(secret), 'no secret in the log')
  }
})
