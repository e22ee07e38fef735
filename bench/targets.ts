// The endpoints under load, defined once: the app, the raw-driver baseline and Prism all get the very same
// requests. Each endpoint is an operation of openapi.yaml; the baseline routes reuse that operation's schemas.
import type { OperationId } from '../generated/schemas.js'

/** What the seeding step leaves behind: credentials and the users the requests address. */
export interface Fixture {
  roamKey: string
  plaspyToken: string
  roamUserIds: string[]
  plaspyUsers: Array<{ id: string, email: string }>
  /** `YYYY-MM-DD` days around the seeding, so the list query finds every Roam user. */
  days: { start: string, end: string }
}

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT'
  path: string
  headers: Record<string, string>
  body?: string
}

export interface Endpoint {
  name: string
  operation: OperationId
  /** Also measured against the Prism mock of openapi.yaml. */
  prism?: boolean
  /**
   * The i-th request. Requests cycle over the seeded users so that concurrent writes rarely touch the same
   * row: on Postgres, one hot row would measure row-lock waits instead of the server.
   */
  request (fixture: Fixture, i: number): BenchRequest
}

const json = { 'content-type': 'application/json' }
const pick = <T>(list: T[], i: number): T => list[i % list.length]!

export const endpoints: Endpoint[] = [
  {
    name: 'roam PUT user',
    operation: 'roamUpdateUser',
    prism: true,
    // The vendor's sample body: user_id and nine fields to change.
    request: (fixture, i) => ({
      method: 'PUT',
      path: '/v1/api/user/',
      headers: { ...json, 'api-key': fixture.roamKey },
      body: JSON.stringify({
        user_id: pick(fixture.roamUserIds, i),
        description: `bench device ${i}`,
        metadata: { name: `bench-${i}`, shift: i % 3 },
        geofence_events: i % 2 === 0,
        motion_events: i % 2 === 1,
        location_events: true,
        trips_events: false,
        nearby_events: i % 2 === 0,
        location_listener: true,
        event_listener: false
      })
    })
  },
  {
    name: 'plaspy PUT user',
    operation: 'plaspyUpdateUser',
    // No password: argon2 would be all that is measured.
    request: (fixture, i) => {
      const user = pick(fixture.plaspyUsers, i)
      return {
        method: 'PUT',
        path: `/api/users/${user.id}`,
        headers: { ...json, authorization: `Bearer ${fixture.plaspyToken}` },
        body: JSON.stringify({
          name: `Bench User ${i}`,
          email: user.email,
          country: 'US',
          timeZone: 'America/New_York',
          description: `updated by request ${i}`,
          tags: { team: 'bench', round: String(i % 5) },
          privileges: ['read'],
          group: 'Bench',
          deviceId: `dev-${i}`,
          adminDevices: i % 4,
          from: '2024-01-01T00:00:00Z',
          expires: '2030-01-01T00:00:00Z'
        })
      }
    }
  },
  {
    name: 'plaspy GET user',
    operation: 'plaspyGetUser',
    request: (fixture, i) => ({
      method: 'GET',
      path: `/api/users/${pick(fixture.plaspyUsers, i).id}`,
      headers: { authorization: `Bearer ${fixture.plaspyToken}` }
    })
  },
  {
    name: 'roam GET list',
    operation: 'roamListUsers',
    // Every page of the seeded users in turn (10 a page), so OFFSET costs what it costs.
    request: (fixture, i) => ({
      method: 'GET',
      path: `/v1/api/user/?start_date=${fixture.days.start}&end_date=${fixture.days.end}&page_number=${1 + (i % Math.ceil(fixture.roamUserIds.length / 10))}`,
      headers: { 'api-key': fixture.roamKey }
    })
  }
]
