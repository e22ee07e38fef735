// Real Roam clients found in public code, replayed over HTTP as their libraries send them, reading what they
// read: a Node service (axios, header `Api-key`, a JSON Content-Type on a GET, only `page_number`), a React
// Native app (axios, a GET with no query and a JSON Content-Type), a Flutter app (package:http, 201 checked,
// eleven fields of `data` stored).
import { request as httpRequest } from 'node:http'
import t from 'tap'
import { createRoamKey } from '../../src/roam/keys.js'
import { build } from '../helper.js'

/** One request with the headers exactly as the client names them; the status and the parsed body. */
function send (base: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number, json: any }>((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, { method, headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (response) => {
      let text = ''
      response.setEncoding('utf8').on('data', (chunk: string) => { text += chunk }).on('end', () => resolve({ status: response.statusCode!, json: JSON.parse(text) }))
    })
    request.on('error', reject)
    request.end(body)
  })
}

t.test('a Node service: creates with `Api-key`, then lists page 3 with no dates', async (t) => {
  const app = await build(t)
  const { api_key: key } = await createRoamKey(app.db, 'acme')
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const headers = { 'Api-key': key, 'Content-Type': 'application/json' }
  for (let n = 0; n < 25; n++) {
    const postData = { app_type: 1, device_token: 'your-device-token', description: `Employee ${n} - E-${n}`, metadata: { employeeId: `emp-${n}` } }
    const created = await send(base, 'POST', '/v1/api/user/', headers, JSON.stringify(postData))
    t.equal(created.status, 201)
    const roamDetail = created.json.data // what the service returns and stores
    t.match(roamDetail, { user_id: /^[0-9a-f]{24}$/, description: `Employee ${n} - E-${n}`, metadata: { employeeId: `emp-${n}` } })
  }
  const listed = await send(base, 'GET', '/v1/api/user/?page_number=3', { 'Api-Key': key, 'Content-Type': 'application/json' })
  t.equal(listed.status, 200)
  const roamDetail = listed.json.data
  t.match(roamDetail, { pages: 3, prev_page: 2, next_page: null })
  t.equal(roamDetail.users.length, 5, 'the third page of ten, newest first: the five oldest')
  t.same(roamDetail.users.map((user: { description: string }) => user.description), [4, 3, 2, 1, 0].map((n) => `Employee ${n} - E-${n}`))
})

t.test('a React Native app: GET with no query and a JSON Content-Type, reading data.users', async (t) => {
  const app = await build(t)
  const { api_key: key } = await createRoamKey(app.db, 'acme')
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  await send(base, 'POST', '/v1/api/user/', { 'Api-Key': key, 'Content-Type': 'application/json' }, JSON.stringify({ app_type: 2, device_token: 'ios-token' }))
  const response = await send(base, 'GET', '/v1/api/user/', { 'Content-Type': 'application/json', 'Api-Key': key })
  t.equal(response.status, 200)
  t.equal(response.json.data.users.length, 1)
  t.same(response.json.data.users[0].last_location_update, {}, 'a user with no location: {}, as the vendor renders it')
})

t.test('a Flutter app: creates, checks 201, and stores eleven fields of data', async (t) => {
  const app = await build(t)
  const { api_key: key } = await createRoamKey(app.db, 'acme')
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const body = JSON.stringify({ app_type: 1, device_token: 'token', description: 'Device description', metadata: {} })
  const response = await send(base, 'POST', '/v1/api/user/', { 'Api-Key': key, 'Content-Type': 'application/json; charset=utf-8' }, body)
  t.equal(response.status, 201, 'the status the app checks')
  const responseData = response.json.data
  t.match(responseData, {
    user_id: /^[0-9a-f]{24}$/,
    app_id: /^[0-9a-f]{24}_1$/,
    geofence_events: false,
    location_events: false,
    trips_events: false,
    nearby_events: false,
    location_listener: false,
    event_listener: false,
    sdk_version: String,
    project_id: /^[0-9a-f]{24}$/,
    account_id: /^[0-9a-f]{24}$/
  })
  t.equal(responseData.app_id, `${responseData.project_id}_1`)
})
