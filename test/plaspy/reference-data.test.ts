import t from 'tap'
import { countryNames, isCountry, isListedTimeZone, timeZoneNames } from '../../src/plaspy/reference-data.js'
import { build, plaspyClient } from '../helper.js'
import { minimal } from '../helpers/plaspy.js'

t.test('GET /api/users/countries: alpha-2 code to English name, as the vendor\'s example shows', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const response = await client.inject({ method: 'GET', url: '/api/users/countries' })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['apiDailyUsage', 'apiUsage', 'countries', 'success'])
  t.equal(body.success, true)
  // get__api_users_countries.md, every pair of its example.
  t.match(body.countries, { US: 'United States', CA: 'Canada', AR: 'Argentina', BR: 'Brazil', GB: 'United Kingdom', CO: 'Colombia' })
  t.equal(Object.keys(body.countries).length, 250, 'every ISO 3166-1 country')
  t.ok(Object.keys(body.countries).every((code) => /^[A-Z]{2}$/.test(code)), 'keyed by alpha-2 codes')
  t.same(body.countries, countryNames(), 'the list the validation uses')
})

t.test('every listed country, by code or by name, is accepted as `country`', async (t) => {
  const names = countryNames()
  const refused = Object.entries(names).filter(([code, name]) => !isCountry(code) || !isCountry(name))
  t.same(refused, [])
  for (const value of ['US', 'us', 'USA', 'United States of America', 'united kingdom', 'Colombia', 'CIV', 'Côte d’Ivoire', 'Cote d\'Ivoire']) {
    t.ok(isCountry(value), value)
  }
  for (const value of ['', 'U', 'ZZ', 'XYZ', 'Atlantis', 'America', 'Untied States']) t.notOk(isCountry(value), `"${value}"`)
})

t.test('GET /api/users/timeZones: current IANA ids to standard-time names', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const response = await client.inject({ method: 'GET', url: '/api/users/timeZones' })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['apiDailyUsage', 'apiUsage', 'success', 'timeZones'])
  // get__api_users_timezones.md, every pair of its example, whatever the season the test runs in.
  t.match(body.timeZones, {
    'America/New_York': 'Eastern Standard Time',
    'America/Los_Angeles': 'Pacific Standard Time',
    'Europe/London': 'Greenwich Mean Time',
    'Asia/Tokyo': 'Japan Standard Time',
    'Australia/Sydney': 'Australian Eastern Standard Time'
  })
  t.match(body.timeZones, {
    UTC: 'Coordinated Universal Time',
    'Asia/Kolkata': 'India Standard Time',
    'America/Argentina/Buenos_Aires': 'Argentina Standard Time',
    'Europe/Kyiv': String
  }, 'current IANA names')
  for (const legacy of ['Asia/Calcutta', 'America/Buenos_Aires', 'Europe/Kiev', 'US/Eastern', 'Etc/UTC']) {
    t.notOk(legacy in body.timeZones, `${legacy} is an alias, not listed`)
  }
  const names = Object.values(body.timeZones) as string[]
  t.ok(Object.keys(body.timeZones).length > 400, 'every zone of the tz database')
  t.same(names.filter((name) => !/^[A-Z]/.test(name) || /^GMT[+-]/.test(name)), [], 'every zone has a name, none a bare offset')
  t.same(body.timeZones, timeZoneNames(), 'the list the validation uses')
})

t.test('`timeZone` accepts exactly the listed zones and their aliases', async (t) => {
  const listed = Object.keys(timeZoneNames())
  t.same(listed.filter((zone) => !isListedTimeZone(zone)), [], 'every listed zone')
  for (const alias of ['Asia/Calcutta', 'America/Buenos_Aires', 'Europe/Kiev', 'US/Eastern', 'US/Pacific', 'Etc/UTC', 'GMT', 'Etc/GMT']) {
    t.ok(isListedTimeZone(alias), `the alias ${alias}`)
  }
  // Names ICU would take but that are no IANA zone of the list: abbreviations, fixed offsets, other spellings.
  for (const value of ['', 'PST', 'CEST', 'Eastern Standard Time', 'Etc/GMT+5', 'GMT+5', '+05:00', 'utc', 'america/new_york', 'Mars/Olympus', 'America/New York']) {
    t.notOk(isListedTimeZone(value), `"${value}"`)
  }
})

t.test('the lists and the validation agree over the API', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const zones = Object.keys((await client.inject({ method: 'GET', url: '/api/users/timeZones' })).json().timeZones)
  const countries = Object.values((await client.inject({ method: 'GET', url: '/api/users/countries' })).json().countries) as string[]
  const samples = [
    [zones[0]!, countries[0]!],
    [zones.at(-1)!, countries.at(-1)!],
    ['Asia/Calcutta', 'Côte d’Ivoire']
  ]
  for (const [i, [timeZone, country]] of samples.entries()) {
    const response = await client.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, email: `z${i}@example.com`, timeZone, country } })
    t.equal(response.statusCode, 201, `${timeZone}, ${country}`)
    t.match(response.json(), { timeZone, country }, 'answered as sent')
  }
})
