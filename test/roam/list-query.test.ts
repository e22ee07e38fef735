// Get Users' query rules and page arithmetic (src/roam/list.ts), pure: no server, no database.
import t from 'tap'
import { ApiError } from '../../src/platform/errors.js'
import { pagination, readListQuery } from '../../src/roam/list.js'
import { FIRST_INSTANT, LAST_INSTANT } from '../../src/platform/validation.js'

const id = '60b90dd651efb070950db2e0'

t.test('what a valid query selects', async (t) => {
  t.same(readListQuery({}).selection, { from: FIRST_INSTANT, until: LAST_INSTANT, groupId: undefined, page: 1 }, 'no dates: the whole project')
  t.same(readListQuery({ user_id: id }).selection, { userId: id })
  t.same(readListQuery({ start_date: '2021-06-01' }).selection,
    { from: new Date('2021-06-01T00:00:00Z'), until: new Date('2021-06-02T00:00:00Z'), groupId: undefined, page: 1 }, 'start_date alone: that day')
  t.same(readListQuery({ start_date: '2021-06-01', end_date: '2021-06-06', page_number: 3, group_id: id }).selection,
    { from: new Date('2021-06-01T00:00:00Z'), until: new Date('2021-06-07T00:00:00Z'), groupId: id, page: 3 })
  const kolkata = readListQuery({ start_date: '2021-06-01', end_date: '2021-06-01', timezone_offset: 'Asia/Kolkata' })
  t.same(kolkata.selection, { from: new Date('2021-05-31T18:30:00Z'), until: new Date('2021-06-01T18:30:00Z'), groupId: undefined, page: 1 }, 'local days')
  t.equal(kolkata.wallTime(new Date('2021-06-01T00:00:00.123Z')), '2021-06-01T05:30:00.123')
  // Tokyo kept local mean time (+09:18:59) until 1888: the day ends at 14:41:01 UTC.
  t.same(readListQuery({ start_date: '0001-01-01', timezone_offset: 'Asia/Tokyo' }).selection, { from: FIRST_INSTANT, until: new Date('0001-01-01T14:41:01Z'), groupId: undefined, page: 1 },
    'a day east of UTC that starts before year 1 is clamped to what the databases hold')
})

t.test('what the schema cannot say is refused with every field named', async (t) => {
  for (const [query, fields] of [
    [{ user_id: id, start_date: '2021-06-01', page_number: 2 }, { start_date: ['Cannot be combined with user_id.'], page_number: ['Cannot be combined with user_id.'] }],
    [{ end_date: '2021-06-01' }, { start_date: ['This field is required when end_date is given.'] }],
    [{ start_date: '2021-06-02', end_date: '2021-06-01' }, { end_date: ['Must not be before start_date.'] }],
    [{ timezone_offset: 'EST' }, { timezone_offset: ['Enter a valid IANA time zone.'] }],
    [{ end_date: '2021-06-01', timezone_offset: 'Mars/Olympus' }, { start_date: ['This field is required when end_date is given.'], timezone_offset: ['Enter a valid IANA time zone.'] }]
  ] as const) {
    const error = (() => { try { readListQuery(query) } catch (thrown) { return thrown } })()
    t.ok(error instanceof ApiError && error.kind === 'validation', JSON.stringify(query))
    t.same((error as ApiError).fields, fields)
  }
})

t.test('pagination: pages, and the neighbours of a page, before, inside and past the end', async (t) => {
  t.same(pagination(0, 1), { next_page: null, pages: 0, prev_page: null })
  t.same(pagination(10, 1), { next_page: null, pages: 1, prev_page: null })
  t.same(pagination(11, 1), { next_page: 2, pages: 2, prev_page: null })
  t.same(pagination(25, 2), { next_page: 3, pages: 3, prev_page: 1 })
  t.same(pagination(25, 3), { next_page: null, pages: 3, prev_page: 2 })
  t.same(pagination(25, 9), { next_page: null, pages: 3, prev_page: 3 }, 'past the last page: back to the last one')
  t.same(pagination(0, 5), { next_page: null, pages: 0, prev_page: null })
})
