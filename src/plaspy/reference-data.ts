// Countries (ISO 3166-1, from i18n-iso-countries) and time zones (IANA, from the ICU data built into Node):
// what the users endpoints list and what they validate against are the same data.
import countries from 'i18n-iso-countries'
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' }

countries.registerLocale(english)

/** Alpha-2 (`US`), alpha-3 (`USA`) or English name (`Argentina`), as the vendor's examples use all three. */
export function isCountry (value: string): boolean {
  return countries.isValid(value) || countries.getAlpha2Code(value, 'en') !== undefined
}

/** Alpha-2 code -> English name. */
export function countryNames (): Record<string, string> {
  return countries.getNames('en', { select: 'official' })
}

/** Any IANA zone name ICU knows, canonical or alias (`Asia/Kolkata` and `Asia/Calcutta`). */
export function isTimeZone (value: string): boolean {
  if (!value.includes('/') && value !== 'UTC') return false // ICU also takes abbreviations like "EST"
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}
