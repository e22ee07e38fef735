// Get Users' query: the rules the schema cannot say (which parameters go together, the order of the days, the
// time zone), checked together once the schema's own checks pass so that GS402 names every such field; and
// the page arithmetic.
import type { Static } from 'typebox'
import { ApiError, describe, type FieldErrors } from '../platform/errors.js'
import { FIRST_INSTANT, LAST_INSTANT } from '../platform/validation.js'
import { operations } from '../../generated/schemas.js'
import { isIanaTimeZone, zoneClock } from './time-zones.js'

export type RoamListQuery = Static<typeof operations.roamListUsers.schema.querystring>

export const PAGE_SIZE = 10

/** What a valid query asks for: one user by id, or a page of the users created within some days. */
export type UserSelection =
  | { userId: string }
  | { from: Date, until: Date, groupId?: string, page: number }

export interface ListRequest {
  selection: UserSelection
  /** Renders the answer's timestamps: UTC, or local wall time of `timezone_offset`. */
  wallTime: (instant: Date) => string
}

const parameters = Object.keys(operations.roamListUsers.schema.querystring.properties) as Array<keyof RoamListQuery>

export function readListQuery (query: RoamListQuery): ListRequest {
  const fields: FieldErrors = {}
  const fail = (field: string, message: string) => { (fields[field] ??= []).push(message) }

  if (query.user_id !== undefined) {
    // The vendor: user_id "cannot be used along with any other" parameter.
    for (const name of parameters) if (name !== 'user_id' && query[name] !== undefined) fail(name, 'Cannot be combined with user_id.')
  } else if (query.start_date === undefined && query.end_date !== undefined) {
    fail('start_date', 'This field is required when end_date is given.')
  } else if (query.start_date !== undefined && query.end_date !== undefined && query.end_date < query.start_date) {
    fail('end_date', 'Must not be before start_date.') // YYYY-MM-DD strings sort as the days do
  }
  if (query.timezone_offset !== undefined && !isIanaTimeZone(query.timezone_offset)) fail('timezone_offset', 'Enter a valid IANA time zone.')
  if (Object.keys(fields).length > 0) throw new ApiError('validation', describe(fields), fields)

  const clock = zoneClock(query.timezone_offset ?? 'UTC')
  const selection: UserSelection = query.user_id !== undefined
    ? { userId: query.user_id }
    : { groupId: query.group_id, page: query.page_number ?? 1, ...createdWithin(query, clock.days) }
  return { selection, wallTime: clock.wallTime }
}

/**
 * The days asked for. Both dates: those days. `start_date` alone: that one day (GeoSpark v1's rule, which older
 * clients still follow). Neither: the whole project, as the vendor's older docs and its real clients expect.
 * Always a range within the instants the databases hold (a zone east of UTC starts 0001-01-01 in year 0), not a
 * missing condition, so that both providers keep walking the same (project, created_at) index.
 */
function createdWithin (query: RoamListQuery, days: (first: string, last: string) => { from: Date, until: Date }) {
  if (query.start_date === undefined) return { from: FIRST_INSTANT, until: LAST_INSTANT }
  const { from, until } = days(query.start_date, query.end_date ?? query.start_date)
  return { from: from < FIRST_INSTANT ? FIRST_INSTANT : from, until: until > LAST_INSTANT ? LAST_INSTANT : until }
}

/** `pages` is 0 when nothing matched; past the last page, `prev_page` points back at the last one. */
export function pagination (total: number, page: number) {
  const pages = Math.ceil(total / PAGE_SIZE)
  return {
    next_page: page < pages ? page + 1 : null,
    pages,
    prev_page: page > 1 && pages > 0 ? Math.min(page - 1, pages) : null
  }
}
