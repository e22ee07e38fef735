// Countries and time zones: what GET /api/users/countries and /timeZones list is what `country` and `timeZone`
// are validated against, so a value picked from a list is always accepted.
// The package's own entry point loads all of its ~80 languages (82 modules); its index.js is the library alone, and
// English is the one language used here.
import countries from 'i18n-iso-countries/index.js'
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' }
import { getTimeZones, rawTimeZones, timeZonesNames } from '@vvo/tzdb'

countries.registerLocale(english)

// --------------------------------------------------------------------------------------------- countries
// The codes are ISO 3166-1 (i18n-iso-countries). The names are CLDR's English short names from the ICU data in
// Node ("United States", "United Kingdom"), as the vendor's example lists them; i18n-iso-countries' official
// name stands in where ICU has none.

const regionNames = new Intl.DisplayNames('en', { type: 'region', fallback: 'none' })

const countryList: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(countries.getNames('en', { select: 'official' }))
    .map(([code, official]) => [code, regionNames.of(code) ?? official])
)

const listedCountryNames = new Set(Object.values(countryList).map((name) => name.toLowerCase()))

/** Alpha-2 code -> English name. */
export function countryNames (): Record<string, string> {
  return { ...countryList }
}

/** Alpha-2 (`US`), alpha-3 (`USA`) or English name (`Argentina`, `United States of America`), as the vendor's examples use all three. */
export function isCountry (value: string): boolean {
  return countries.isValid(value) ||
    countries.getAlpha2Code(value, 'en') !== undefined ||
    listedCountryNames.has(value.toLowerCase())
}

// -------------------------------------------------------------------------------------------- time zones
// Why @vvo/tzdb and not Intl.supportedValuesOf('timeZone'): Node 20's ICU names zones by their CLDR-canonical
// (often retired) ids — Asia/Calcutta, America/Buenos_Aires, Europe/Kiev — and leaves out UTC, so a list
// built from it shows clients names that IANA deprecated years ago. @vvo/tzdb ships the current IANA names
// (Asia/Kolkata, America/Argentina/Buenos_Aires, Europe/Kyiv), each zone's group of aliases and its standard
// offset, rebuilt with every tz database release. ICU still provides the display names.

// Each list is built on first use: asking ICU about ~600 zones holds tens of MB of its zone data, which a
// process that never lists zones (or never meets a Plaspy request) should not pay for.

/** The listed zones: current IANA names plus UTC (a zone this Node's ICU does not know yet is left out). */
let listedZones: ReadonlySet<string> | undefined
function listed (): ReadonlySet<string> {
  return (listedZones ??= new Set(['UTC', ...timeZonesNames.filter(knownToIcu)]))
}

/** Zone id -> display name, for the listed zones. */
let timeZoneList: Readonly<Record<string, string>> | undefined
function displayNames (): Readonly<Record<string, string>> {
  return (timeZoneList ??= Object.fromEntries([...listed()].map((name) => [name, name === 'UTC' ? 'Coordinated Universal Time' : displayName(name)])))
}

/**
 * Everything `timeZone` accepts: the list, and every alias of a listed zone (Asia/Calcutta, US/Eastern, Etc/UTC,
 * GMT). As tzdb data: value -> the zones whose being listed makes it acceptable. Whether ICU knows a zone is
 * asked only when a value needs it, so validating a few zones never loads ICU's data for all of them.
 */
let acceptedTimeZones: ReadonlyMap<string, readonly string[]> | undefined
function accepted (): ReadonlyMap<string, readonly string[]> {
  if (acceptedTimeZones !== undefined) return acceptedTimeZones
  const map = new Map<string, string[]>()
  const add = (value: string, zone: string) => { map.get(value)?.push(zone) ?? map.set(value, [zone]) }
  const current = new Set(timeZonesNames)
  for (const name of timeZonesNames) add(name, name)
  for (const { name, group } of rawTimeZones) if (current.has(name)) for (const alias of group) add(alias, name)
  for (const alias of ['UTC', ...getTimeZones({ includeUtc: true }).find(({ name }) => name === 'Etc/UTC')!.group]) add(alias, 'UTC')
  return (acceptedTimeZones = map)
}

/** IANA zone id -> display name such as "Eastern Standard Time". */
export function timeZoneNames (): Record<string, string> {
  return { ...displayNames() }
}

/**
 * A zone of Plaspy's list (GET /api/users/timeZones) or one of its aliases; case-sensitive, as IANA ids are. Roam's
 * `timezone_offset` takes any zone ICU knows instead (src/roam/time-zones.ts): each vendor's own rule.
 */
export function isListedTimeZone (value: string): boolean {
  return accepted().get(value)?.some((zone) => zone === 'UTC' || knownToIcu(zone)) ?? false
}

const icuKnows = new Map<string, boolean>()

function knownToIcu (timeZone: string): boolean {
  let known = icuKnows.get(timeZone)
  if (known === undefined) {
    try {
      known = Boolean(new Intl.DateTimeFormat('en-US', { timeZone })) // throws RangeError for a zone ICU lacks
    } catch {
      known = false
    }
    icuKnows.set(timeZone, known)
  }
  return known
}

/**
 * The zone's standard-time name ("Eastern Standard Time", not "Eastern Daylight Time" half the year): ICU's long
 * name in mid-January or mid-July, whichever has the zone's standard offset. Zones ICU has no name for ("GMT+03:00") get
 * the generic name of the tz database's group ("Jordan Time").
 */
function displayName (timeZone: string): string {
  const zone = rawTimeZones.find(({ group }) => group.includes(timeZone))
  const year = new Date().getUTCFullYear()
  const seasons = [new Date(Date.UTC(year, 0, 15)), new Date(Date.UTC(year, 6, 15))]
  const standard = seasons.find((date) => offsetMinutes(timeZone, date) === zone?.rawOffsetInMinutes) ?? seasons[0]!
  const name = longName(timeZone, standard)
  return /^GMT([+-]|$)/.test(name) && zone !== undefined ? zone.alternativeName : name
}

function longName (timeZone: string, date: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'long' }).formatToParts(date)
  return parts.find(({ type }) => type === 'timeZoneName')!.value
}

function offsetMinutes (timeZone: string, date: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(date)
  const match = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(parts.find(({ type }) => type === 'timeZoneName')!.value)
  if (!match?.[1]) return 0
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
}
