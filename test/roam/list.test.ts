import t from 'tap'
import { build, roamClient } from '../helper.js'
import type { App } from '../../src/app.js'
import { objectId } from '../../src/platform/secrets.js'

type Client = Awaited<ReturnType<typeof roamClient>>

/** A user of the client's project created at `createdAt`, written straight to the database. */
async function userAt (app: App, client: Client, createdAt: string, extra: { isDeleted?: boolean, groupId?: string, deviceUuid?: string } = {}) {
  const user = await app.db.prisma.roamUser.create({
    data: { id: objectId(), projectId: client.project_id, appType: 1, deviceToken: 'token', createdAt: new Date(createdAt), ...extra }
  })
  return user.id
}

function list (client: Client, query: string) {
  return client.inject({ method: 'GET', url: `/v1/api/user/?${query}` })
}

async function listed (client: Client, query: string) {
  const response = await list(client, query)
  if (response.statusCode !== 200) throw new Error(`GET ?${query}: ${response.statusCode} ${response.body}`)
  return response.json().data as { next_page: number | null, pages: number, prev_page: number | null, account_id: string, users: Array<Record<string, unknown>> }
}

const ids = (data: { users: Array<Record<string, unknown>> }) => data.users.map((user) => user.id)

function gs402 (details: Record<string, string[]>) {
  return { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS402', ErrorMessage: 'Invalid request', details } }
}

t.test('the vendor\'s sample request answers the documented shape', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const plain = await userAt(app, client, '2021-06-03T17:19:12.287Z')
  const withDevice = await userAt(app, client, '2021-06-02T08:00:00.000Z', { deviceUuid: '2f1e6c2a-3c1b-4d8e-9f00-0a1b2c3d4e5f' })

  // get-user-api.md: GET with Api-Key and (per the v2 page) a JSON Content-Type on a body-less request.
  const response = await app.inject({
    method: 'GET',
    url: '/v1/api/user/?start_date=2021-06-01&end_date=2021-06-06',
    headers: { 'Api-Key': client.api_key, 'Content-Type': 'application/json' }
  })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.same(Object.keys(body), ['status', 'msg', 'code', 'data'])
  t.match(body, { status: true, msg: 'Success.', code: 200 })
  t.same(Object.keys(body.data), ['next_page', 'pages', 'prev_page', 'account_id', 'users'])
  t.match(body.data, { next_page: null, pages: 1, prev_page: null, account_id: client.account_id })
  t.same(ids(body.data), [plain, withDevice], 'newest first')

  const vendorKeys = ['app_id', 'brand', 'created_at', 'description', 'device_arn', 'device_token', 'event_listener',
    'geofence_events', 'id', 'is_deleted', 'last_location_update', 'location_events', 'location_listener', 'model',
    'motion_events', 'nearby_events', 'os_version', 'sdk_version', 'trips_events']
  t.same(Object.keys(body.data.users[0]).sort(), vendorKeys, 'the vendor\'s 19 keys; device_uuid omitted when unknown')
  t.same(Object.keys(body.data.users[1]).sort(), [...vendorKeys, 'device_uuid'].sort(), 'device_uuid present when known')
  t.same(body.data.users[0], {
    id: plain,
    app_id: `${client.project_id}_1`,
    device_token: 'token',
    description: null,
    brand: null,
    model: null,
    os_version: null,
    sdk_version: '0',
    device_arn: null,
    geofence_events: false,
    motion_events: false,
    location_events: false,
    trips_events: false,
    nearby_events: false,
    location_listener: false,
    event_listener: false,
    is_deleted: false,
    created_at: '2021-06-03T17:19:12.287',
    last_location_update: {}
  })
  t.equal(body.data.users[1].device_uuid, '2f1e6c2a-3c1b-4d8e-9f00-0a1b2c3d4e5f')
})

t.test('start_date and end_date are whole UTC days, both inclusive', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const before = await userAt(app, client, '2021-05-31T23:59:59.999Z')
  const first = await userAt(app, client, '2021-06-01T00:00:00.000Z')
  const last = await userAt(app, client, '2021-06-06T23:59:59.999Z')
  const after = await userAt(app, client, '2021-06-07T00:00:00.000Z')

  t.same(ids(await listed(client, 'start_date=2021-06-01&end_date=2021-06-06')), [last, first])
  t.same(ids(await listed(client, 'start_date=2021-06-01&end_date=2021-06-01')), [first], 'one day: start_date = end_date')
  t.same(ids(await listed(client, 'start_date=2021-05-31&end_date=2021-05-31')), [before])
  t.same(ids(await listed(client, 'start_date=2021-06-07&end_date=2099-12-31')), [after])
  t.same(ids(await listed(client, 'start_date=2020-02-29&end_date=2020-02-29')), [], 'a leap day is a valid day')
  const lastDay = await listed(client, 'start_date=9999-12-31&end_date=9999-12-31')
  t.same(lastDay.users, [], 'the last representable day does not overflow')
})

t.test('without dates every user of the project is listed; start_date alone lists that day', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const other = await roamClient(app, 'another-account')
  const oldest = await userAt(app, client, '0001-01-01T00:00:00.000Z')
  const days = ['2021-06-01T00:00:00.000Z', '2021-06-01T23:59:59.999Z', '2021-06-02T00:00:00.000Z']
  const [startOfDay, endOfDay, nextDay] = [await userAt(app, client, days[0]!), await userAt(app, client, days[1]!), await userAt(app, client, days[2]!)]
  const newest = await userAt(app, client, '9999-12-31T23:59:59.998Z')
  await userAt(app, client, '2021-06-01T12:00:00.000Z', { isDeleted: true })
  await userAt(app, other, '2021-06-01T12:00:00.000Z')

  t.same(ids(await listed(client, '')), [newest, nextDay, endOfDay, startOfDay, oldest], 'no query: the whole project, newest first')
  t.same(ids(await listed(client, 'page_number=1&timezone_offset=Asia/Kolkata')), [newest, nextDay, endOfDay, startOfDay, oldest])
  t.same(ids(await listed(client, 'start_date=2021-06-01')), [endOfDay, startOfDay], 'start_date alone: that UTC day')
  t.same(ids(await listed(client, 'start_date=2021-06-02&timezone_offset=Asia/Kolkata')), [nextDay, endOfDay],
    'that day in timezone_offset: Kolkata\'s 2 June starts at 18:30 UTC on 1 June')
  t.same(ids(await listed(client, 'start_date=2021-06-01&timezone_offset=America/New_York')), [nextDay, endOfDay],
    'New York\'s 1 June runs 04:00 UTC to 04:00 UTC')

  const earliest2022 = await userAt(app, client, '2022-01-01T00:00:00.000Z')
  for (let n = 1; n < 10; n++) await userAt(app, client, `2022-01-01T00:00:0${n}.000Z`)
  const second = await listed(client, 'page_number=2')
  t.match(second, { pages: 2, next_page: null, prev_page: 1 }, 'page_number alone pages the whole project')
  t.same(ids(second), [earliest2022, nextDay, endOfDay, startOfDay, oldest], 'the oldest users are on the last page')
})

t.test('pagination: 10 a page, newest first, stable, and its edges', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const range = 'start_date=2021-01-01&end_date=2021-01-31'

  const empty = await listed(client, range)
  t.same(empty, { next_page: null, pages: 0, prev_page: null, account_id: client.account_id, users: [] }, '0 users: pages 0')
  t.same((await listed(client, `${range}&page_number=3`)).users, [], 'a page of nothing')

  // Ten users a minute apart: exactly one page.
  const ten: string[] = []
  for (let i = 0; i < 10; i++) ten.push(await userAt(app, client, `2021-01-10T10:0${i}:00.000Z`))
  const one = await listed(client, range)
  t.match(one, { next_page: null, pages: 1, prev_page: null })
  t.same(ids(one), [...ten].reverse(), 'exactly 10: one page, newest first')
  const pastTen = await listed(client, `${range}&page_number=2`)
  t.same(pastTen, { next_page: null, pages: 1, prev_page: 1, account_id: client.account_id, users: [] }, 'page 2 of 1 is empty')

  // The eleventh, the oldest, spills onto page 2.
  const eleventh = await userAt(app, client, '2021-01-09T00:00:00.000Z')
  const first = await listed(client, `${range}&page_number=1`)
  t.match(first, { next_page: 2, pages: 2, prev_page: null })
  t.equal(first.users.length, 10)
  const second = await listed(client, `${range}&page_number=2`)
  t.match(second, { next_page: null, pages: 2, prev_page: 1 })
  t.same(ids(second), [eleventh])
  const farPast = await listed(client, `${range}&page_number=7`)
  t.same(farPast, { next_page: null, pages: 2, prev_page: 2, account_id: client.account_id, users: [] }, 'past the end: empty, prev_page is the last page')

  for (const bad of ['0', '-1', 'abc', '1.5']) {
    const response = await list(client, `${range}&page_number=${bad}`)
    t.equal(response.statusCode, 400, `page_number=${bad}`)
    t.equal(response.json().error.ErrorCode, 'GS402', `page_number=${bad}`)
    t.same(Object.keys(response.json().error.details), ['page_number'])
  }
})

t.test('users created at the same instant page by id, without overlap or gaps', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const same: string[] = []
  for (let i = 0; i < 11; i++) same.push(await userAt(app, client, '2021-01-10T10:00:00.000Z'))
  const range = 'start_date=2021-01-10&end_date=2021-01-10'
  const pages = [...ids(await listed(client, `${range}&page_number=1`)), ...ids(await listed(client, `${range}&page_number=2`))]
  t.same(pages, [...same].sort().reverse(), 'id descending breaks the tie; every user exactly once')
  t.same(ids(await listed(client, `${range}&page_number=1`)), pages.slice(0, 10), 'the same page twice is the same page')
})

t.test('timezone_offset moves the day boundaries across a spring-forward day (America/New_York 2021-03-14)', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  // Local midnight of 03-14 is 05:00Z (EST, -5); clocks jump 02:00 -> 03:00 at 07:00Z; midnight of 03-15 is 04:00Z (EDT, -4).
  const saturdayNight = await userAt(app, client, '2021-03-14T04:30:00.000Z') // 03-13 23:30 EST
  const afterMidnight = await userAt(app, client, '2021-03-14T05:30:00.000Z') // 03-14 00:30 EST
  const afterJump = await userAt(app, client, '2021-03-14T07:30:00.000Z') // 03-14 03:30 EDT
  const lastMoment = await userAt(app, client, '2021-03-15T03:59:59.999Z') // 03-14 23:59:59.999 EDT
  const monday = await userAt(app, client, '2021-03-15T04:00:00.000Z') // 03-15 00:00 EDT
  const zone = 'timezone_offset=America/New_York'

  const sunday = await listed(client, `start_date=2021-03-14&end_date=2021-03-14&${zone}`)
  t.same(ids(sunday), [lastMoment, afterJump, afterMidnight], 'the 23-hour local day, and nothing of the days around it')
  t.same(sunday.users.map((user) => user.created_at), ['2021-03-14T23:59:59.999', '2021-03-14T03:30:00.000', '2021-03-14T00:30:00.000'], 'timestamps are local wall time')
  t.same(ids(await listed(client, `start_date=2021-03-13&end_date=2021-03-13&${zone}`)), [saturdayNight])
  t.same(ids(await listed(client, `start_date=2021-03-15&end_date=2021-03-15&${zone}`)), [monday])

  const utc = await listed(client, 'start_date=2021-03-14&end_date=2021-03-14')
  t.same(ids(utc), [afterJump, afterMidnight, saturdayNight], 'without timezone_offset the days are UTC')
  t.equal(utc.users[2]!.created_at, '2021-03-14T04:30:00.000', 'and so are the timestamps')
})

t.test('timezone_offset across a fall-back day (America/New_York 2021-11-07, 25 hours)', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  // Local midnight of 11-07 is 04:00Z (EDT); clocks fall back 02:00 -> 01:00 at 06:00Z; midnight of 11-08 is 05:00Z (EST).
  const early = await userAt(app, client, '2021-11-07T04:00:00.000Z') // 00:00 EDT
  const firstOne = await userAt(app, client, '2021-11-07T05:30:00.000Z') // 01:30 EDT
  const secondOne = await userAt(app, client, '2021-11-07T06:30:00.000Z') // 01:30 EST, the hour again
  const late = await userAt(app, client, '2021-11-08T04:30:00.000Z') // 23:30 EST: a fixed -4 offset would miss it
  const next = await userAt(app, client, '2021-11-08T05:00:00.000Z') // 11-08 00:00 EST

  const day = await listed(client, 'start_date=2021-11-07&end_date=2021-11-07&timezone_offset=America/New_York')
  t.same(ids(day), [late, secondOne, firstOne, early])
  t.same(day.users.map((user) => user.created_at), ['2021-11-07T23:30:00.000', '2021-11-07T01:30:00.000', '2021-11-07T01:30:00.000', '2021-11-07T00:00:00.000'])
  t.same(ids(await listed(client, 'start_date=2021-11-08&end_date=2021-11-08&timezone_offset=America/New_York')), [next])
})

t.test('timezone_offset in Europe/Berlin on its spring-forward day and in a half-hour zone', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  // Berlin 2021-03-28: midnight is 23:00Z the day before (CET, +1), the next midnight 22:00Z (CEST, +2).
  const beforeBerlin = await userAt(app, client, '2021-03-27T22:59:59.999Z')
  const startBerlin = await userAt(app, client, '2021-03-27T23:00:00.000Z')
  const endBerlin = await userAt(app, client, '2021-03-28T21:59:59.999Z')
  const afterBerlin = await userAt(app, client, '2021-03-28T22:00:00.000Z')
  const berlin = await listed(client, 'start_date=2021-03-28&end_date=2021-03-28&timezone_offset=Europe/Berlin')
  t.same(ids(berlin), [endBerlin, startBerlin])
  t.same(berlin.users.map((user) => user.created_at), ['2021-03-28T23:59:59.999', '2021-03-28T00:00:00.000'])
  t.same(ids(await listed(client, 'start_date=2021-03-27&end_date=2021-03-27&timezone_offset=Europe/Berlin')), [beforeBerlin])
  t.same(ids(await listed(client, 'start_date=2021-03-29&end_date=2021-03-29&timezone_offset=Europe/Berlin')), [afterBerlin])

  // Asia/Kolkata is +05:30 all year: its 2021-03-28 runs from 2021-03-27T18:30Z to 2021-03-28T18:30Z.
  const kolkata = await listed(client, 'start_date=2021-03-28&end_date=2021-03-28&timezone_offset=Asia/Kolkata')
  t.same(ids(kolkata), [startBerlin, beforeBerlin])
  t.same(kolkata.users.map((user) => user.created_at), ['2021-03-28T04:30:00.000', '2021-03-28T04:29:59.999'])
})

t.test('invalid queries answer GS402 naming each field', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const id = await userAt(app, client, '2021-06-03T00:00:00.000Z')
  const cases: Array<[string, Record<string, string[]>]> = [
    ['end_date=2021-06-01', { start_date: ['This field is required when end_date is given.'] }],
    ['end_date=2021-06-01&page_number=2', { start_date: ['This field is required when end_date is given.'] }],
    ['start_date=2021-02-30&end_date=2021-03-01', { start_date: ['Enter a valid date.'] }],
    ['start_date=2021-02-01&end_date=2021-02-29', { end_date: ['Enter a valid date.'] }],
    ['start_date=2021-13-01&end_date=2021-12-01', { start_date: ['Enter a valid date.'] }],
    ['start_date=01-06-2021&end_date=2021-06-01', { start_date: ['Enter a valid date.'] }],
    ['start_date=2021-06-01T00:00:00&end_date=2021-06-02', { start_date: ['Enter a valid date.'] }],
    ['start_date=2021-06-02&end_date=2021-06-01', { end_date: ['Must not be before start_date.'] }],
    ['start_date=2021-06-01&end_date=2021-06-06&timezone_offset=Mars/Olympus_Mons', { timezone_offset: ['Enter a valid IANA time zone.'] }],
    ['start_date=2021-06-01&end_date=2021-06-06&timezone_offset=EST', { timezone_offset: ['Enter a valid IANA time zone.'] }],
    ['start_date=2021-06-01&end_date=2021-06-06&timezone_offset=%2B0530', { timezone_offset: ['Enter a valid IANA time zone.'] }],
    ['start_date=2021-06-02&end_date=2021-06-01&timezone_offset=Nowhere/Else', { end_date: ['Must not be before start_date.'], timezone_offset: ['Enter a valid IANA time zone.'] }],
    ['start_date=2021-06-01&end_date=2021-06-06&group_id=xyz', { group_id: ['This field is invalid.'] }],
    ['user_id=123', { user_id: ['This field is invalid.'] }],
    [`user_id=${id}&start_date=2021-06-01`, { start_date: ['Cannot be combined with user_id.'] }],
    [`user_id=${id}&start_date=2021-06-01&end_date=2021-06-06&page_number=1&timezone_offset=UTC&group_id=${id}`, {
      start_date: ['Cannot be combined with user_id.'],
      end_date: ['Cannot be combined with user_id.'],
      timezone_offset: ['Cannot be combined with user_id.'],
      page_number: ['Cannot be combined with user_id.'],
      group_id: ['Cannot be combined with user_id.']
    }]
  ]
  for (const [query, details] of cases) {
    const response = await list(client, query)
    t.equal(response.statusCode, 400, query || '(no parameters)')
    t.same(response.json(), gs402(details), query || '(no parameters)')
  }
  t.ok((await listed(client, 'start_date=2021-06-01&end_date=2021-06-06&timezone_offset=Asia/Calcutta')).users.length === 1, 'an alias zone is a zone')
  t.ok((await listed(client, 'start_date=2021-06-01&end_date=2021-06-06&timezone_offset=UTC')).users.length === 1, 'UTC is a zone')
})

t.test('user_id alone answers that one user in the list wrapper', async (t) => {
  const app = await build(t)
  const owner = await roamClient(app, 'account-a')
  const sibling = await roamClient(app, 'account-a') // another project of the same account
  const stranger = await roamClient(app, 'account-b')
  const id = await userAt(app, owner, '2021-06-03T17:19:12.287Z')
  await userAt(app, owner, '2021-06-04T00:00:00.000Z')

  const one = await listed(owner, `user_id=${id}`)
  t.same(one, { next_page: null, pages: 1, prev_page: null, account_id: owner.account_id, users: one.users })
  t.same(ids(one), [id])
  t.equal(one.users[0]!.created_at, '2021-06-03T17:19:12.287')

  const unknown = await list(owner, 'user_id=ffffffffffffffffffffffff')
  t.equal(unknown.statusCode, 400)
  t.same(unknown.json(), { status: false, msg: 'Error Occured.', code: 400, error: { ErrorCode: 'GS400', ErrorMessage: 'An error occured', details: 'User does not exist.' } })
  for (const intruder of [sibling, stranger]) {
    const response = await list(intruder, `user_id=${id}`)
    t.equal(response.statusCode, 400)
    t.equal(response.body, unknown.body, 'another project\'s user: byte-identical to an unknown id')
  }
  await app.db.prisma.roamUser.update({ where: { id }, data: { isDeleted: true } })
  t.equal((await list(owner, `user_id=${id}`)).body, unknown.body, 'a deleted user: the same')
})

t.test('lists never show deleted users, nor another project\'s or account\'s', async (t) => {
  const app = await build(t)
  const owner = await roamClient(app, 'account-a')
  const sibling = await roamClient(app, 'account-a')
  const stranger = await roamClient(app, 'account-b')
  const mine = await userAt(app, owner, '2021-06-03T00:00:00.000Z')
  await userAt(app, owner, '2021-06-03T01:00:00.000Z', { isDeleted: true })
  const siblings = await userAt(app, sibling, '2021-06-03T02:00:00.000Z')
  const strangers = await userAt(app, stranger, '2021-06-03T03:00:00.000Z')
  const range = 'start_date=2021-06-01&end_date=2021-06-06'

  const own = await listed(owner, range)
  t.same(ids(own), [mine], 'neither the deleted user nor anyone else\'s')
  t.equal(own.pages, 1, 'and the page count agrees')
  t.same(ids(await listed(sibling, range)), [siblings], 'a sibling project of the same account sees its own only')
  t.same(ids(await listed(stranger, range)), [strangers])
  t.equal((await listed(stranger, range)).account_id, stranger.account_id)
})

t.test('group_id keeps the users of that group', async (t) => {
  const app = await build(t)
  const owner = await roamClient(app, 'account-a')
  const other = await roamClient(app, 'account-b')
  const group = await app.db.prisma.roamGroup.create({ data: { id: objectId(), projectId: owner.project_id } })
  const otherGroup = await app.db.prisma.roamGroup.create({ data: { id: objectId(), projectId: other.project_id } })
  const inGroup = await userAt(app, owner, '2021-06-03T00:00:00.000Z', { groupId: group.id })
  await userAt(app, owner, '2021-06-03T01:00:00.000Z')
  await userAt(app, owner, '2021-06-03T02:00:00.000Z', { groupId: group.id, isDeleted: true })
  await userAt(app, other, '2021-06-03T03:00:00.000Z', { groupId: otherGroup.id })
  const range = 'start_date=2021-06-01&end_date=2021-06-06'

  t.same(ids(await listed(owner, `${range}&group_id=${group.id}`)), [inGroup])
  t.equal((await listed(owner, range)).users.length, 2, 'without group_id: the whole project')
  t.same(await listed(owner, `${range}&group_id=${otherGroup.id}`), { next_page: null, pages: 0, prev_page: null, account_id: owner.account_id, users: [] }, 'another project\'s group matches nobody')
  t.same(await listed(owner, `${range}&group_id=ffffffffffffffffffffffff`), await listed(owner, `${range}&group_id=${otherGroup.id}`), 'like an unknown group')
})

t.test('GET needs a valid key', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  await userAt(app, client, '2021-06-03T00:00:00.000Z')
  const url = '/v1/api/user/?start_date=2021-06-01&end_date=2021-06-06'

  const missing = await app.inject({ method: 'GET', url })
  t.equal(missing.statusCode, 401)
  t.same(missing.json(), { status: false, msg: 'No Api key in Header provided', code: 401, error: { ErrorCode: 'GS401', ErrorMessage: 'Invalid Api key', details: 'No Api key in Header provided' } })
  const wrong = await app.inject({ method: 'GET', url, headers: { 'Api-key': 'f'.repeat(32) } })
  t.equal(wrong.statusCode, 401)
  t.same(wrong.json(), { status: false, msg: 'Invalid Api key.', code: 401, error: { ErrorCode: 'GS401', ErrorMessage: 'Invalid Api key', details: 'Invalid Api key.' } })
  t.equal((await app.inject({ method: 'GET', url: `${url}&api_key=${client.api_key}` })).statusCode, 401, 'never from the query string')
  t.equal((await app.inject({ method: 'GET', url, headers: { 'APi-Key': client.api_key } })).statusCode, 200, 'any header casing')
})
