// What the fixture and admin tests share: the vendor samples' file and requests, and a count of every table.
import { join } from 'node:path'
import type { App } from '../../src/app.js'
import type { SeedCounts } from '../../src/fixtures/seed.js'
import { PACKAGE_ROOT } from '../../src/platform/package-root.js'

export const VENDOR_SAMPLES = join(PACKAGE_ROOT, 'fixtures/vendor-samples.yaml')

/** What loading VENDOR_SAMPLES adds to an empty database, and what loading anything again adds. */
export const SAMPLES_ADDED: SeedCounts = { roamAccounts: 1, roamProjects: 1, roamApiKeys: 2, roamGroups: 0, roamUsers: 1, plaspyAccounts: 1, plaspyUsers: 2, plaspyApiKeys: 1 }
export const NOTHING_ADDED = Object.fromEntries(Object.keys(SAMPLES_ADDED).map((kind) => [kind, 0])) as SeedCounts

/** The samples' requests, as the vendors' pages print them (headers' casing included). */
export const roamUpdateSample = {
  method: 'PUT' as const,
  url: '/v1/api/user/',
  headers: { 'Content-Type': 'application/json', 'APi-Key': '63598c5b3aa84f14914013709402bbc9' },
  payload: '{\n  "user_id": "60b90dd651efb070950db2e0",\n  "description": "ROAM111",\n  "metadata" :{"name": "ROAM123" },\n  "geofence_events": false,\n  "motion_events": false,\n  "location_events": false,\n  "trips_events": false,\n  "nearby_events": false,\n  "location_listener": false,\n  "event_listener": false\n}'
}
export const roamListSample = { method: 'GET' as const, url: '/v1/api/user/?start_date=2021-06-01&end_date=2021-06-06', headers: { 'Api-Key': '761f...' } }
export const plaspyTokenSample = { method: 'POST' as const, url: '/api/Auth/Token', headers: { 'Content-Type': 'application/json' }, payload: '{"userName": "your_username", "apiKey": "your_api_key"}' }

/** Every table's row count, through the owner's connection (no tenant filter). */
export async function rowCounts (app: App): Promise<Record<string, number>> {
  const { prisma } = app.db
  return {
    roamAccounts: await prisma.roamAccount.count(),
    roamProjects: await prisma.roamProject.count(),
    roamApiKeys: await prisma.roamApiKey.count(),
    roamGroups: await prisma.roamGroup.count(),
    roamUsers: await prisma.roamUser.count(),
    roamUserHours: await prisma.roamUserHour.count(),
    plaspyAccounts: await prisma.plaspyAccount.count(),
    plaspyUsers: await prisma.plaspyUser.count(),
    plaspyApiKeys: await prisma.plaspyApiKey.count(),
    plaspyTokens: await prisma.plaspyToken.count()
  }
}
