// IANA time zones for Get Users' `timezone_offset`: where a local day starts, and a UTC instant as local wall
// time. Intl (the ICU data built into Node) knows every zone's offsets, so a small helper over
// Intl.DateTimeFormat does the conversion without a date library; the one subtle case, a day whose midnight
// falls into a DST gap or overlap, is handled in `startOfDay`.

const DAY_MS = 24 * 60 * 60 * 1000

// Building an Intl.DateTimeFormat costs far more than using one: one per zone, made on first use. Only
// zones ICU accepts get here, so the map is bounded by ICU's list.
const offsetFormats = new Map<string, Intl.DateTimeFormat>()

function offsetFormat (timeZone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(timeZone)
  if (format === undefined) offsetFormats.set(timeZone, format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }))
  return format
}

/**
 * Any IANA zone name ICU knows, canonical or alias (`Asia/Kolkata`, `Asia/Calcutta`), or `UTC`: what Roam's
 * `timezone_offset` takes. Plaspy accepts only the zones it lists (src/plaspy/reference-data.ts).
 */
export function isIanaTimeZone (value: string): boolean {
  if (!value.includes('/') && value !== 'UTC') return false // ICU also takes abbreviations such as "EST"
  try {
    offsetFormat(value)
    return true
  } catch {
    return false
  }
}

/** A zone's clock: its local days as UTC instants, and UTC instants as its wall time. */
export function zoneClock (timeZone: string) {
  const format = timeZone === 'UTC' ? undefined : offsetFormat(timeZone)

  /** Local wall time minus UTC at `instant`, in milliseconds. ICU writes it `GMT-04:00`, `GMT+05:53:28` or `GMT`. */
  function offsetAt (instant: number): number {
    if (format === undefined) return 0 // UTC, the default: no need to ask ICU
    const name = format.formatToParts(instant).find(({ type }) => type === 'timeZoneName')!.value
    const match = /^GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(name)
    if (match === null) throw new Error(`unexpected offset "${name}" for ${timeZone}`)
    const [, sign, hours, minutes, seconds] = match
    if (sign === undefined) return 0
    return (sign === '-' ? -1 : 1) * ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds ?? 0)) * 1000
  }

  /**
   * The first instant of the local day whose midnight, written as if it were UTC, is `midnight`. The wall
   * time maps back to UTC through the offset in force then, one of those a day either side (no zone is further
   * from UTC than that): try each. Two fit
   * when midnight happens twice (clocks turned back over it): the day starts at the first. None fits when
   * midnight is skipped (clocks jump forward at 00:00, as in Sao Paulo until 2019): the day starts where the
   * jump lands.
   */
  function startOfDay (midnight: number): Date {
    const offsets = [...new Set([offsetAt(midnight - DAY_MS), offsetAt(midnight), offsetAt(midnight + DAY_MS)])]
    const fitting = offsets.map((offset) => midnight - offset).filter((instant) => midnight - instant === offsetAt(instant))
    return new Date(fitting.length > 0 ? Math.min(...fitting) : midnight - Math.min(...offsets))
  }

  /** Local days `first` to `last` (`YYYY-MM-DD`, inclusive) as instants: from the first one's midnight to the midnight after the last. */
  function days (first: string, last: string): { from: Date, until: Date } {
    return { from: startOfDay(Date.parse(first)), until: startOfDay(Date.parse(last) + DAY_MS) }
  }

  /** The instant as local wall time, written like a UTC one: `2021-03-14T01:30:00.000`. */
  function wallTime (instant: Date): string {
    return new Date(instant.getTime() + offsetAt(instant.getTime())).toISOString().slice(0, 23)
  }

  return { days, wallTime }
}
