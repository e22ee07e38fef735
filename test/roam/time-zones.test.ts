import t from 'tap'
import { isIanaTimeZone, zoneClock } from '../../src/roam/time-zones.js'

const iso = ({ from, until }: { from: Date, until: Date }) => [from.toISOString(), until.toISOString()]

t.test('local days as UTC instants, whatever the clocks do at midnight', async (t) => {
  t.same(iso(zoneClock('UTC').days('2021-06-01', '2021-06-06')), ['2021-06-01T00:00:00.000Z', '2021-06-07T00:00:00.000Z'])
  t.same(iso(zoneClock('Asia/Kolkata').days('2021-06-01', '2021-06-01')), ['2021-05-31T18:30:00.000Z', '2021-06-01T18:30:00.000Z'])
  t.same(iso(zoneClock('America/New_York').days('2021-03-14', '2021-03-14')), ['2021-03-14T05:00:00.000Z', '2021-03-15T04:00:00.000Z'], '23 hours')
  t.same(iso(zoneClock('America/New_York').days('2021-11-07', '2021-11-07')), ['2021-11-07T04:00:00.000Z', '2021-11-08T05:00:00.000Z'], '25 hours')
  t.same(iso(zoneClock('Pacific/Kiritimati').days('2021-01-01', '2021-01-01')), ['2020-12-31T10:00:00.000Z', '2021-01-01T10:00:00.000Z'], '+14:00')
  // Sao Paulo skipped midnight when DST began (2018-11-04 00:00 -> 01:00): that day starts at 01:00 local.
  t.same(iso(zoneClock('America/Sao_Paulo').days('2018-11-04', '2018-11-04')), ['2018-11-04T03:00:00.000Z', '2018-11-05T02:00:00.000Z'])
  // ...and lived 23:00-24:00 of 2018-02-17 twice when it ended: a 25-hour day, the next one from its only midnight.
  t.same(iso(zoneClock('America/Sao_Paulo').days('2018-02-17', '2018-02-18')), ['2018-02-17T02:00:00.000Z', '2018-02-19T03:00:00.000Z'])
  // Samoa skipped 2011-12-30 altogether: that day is empty.
  const skipped = zoneClock('Pacific/Apia').days('2011-12-30', '2011-12-30')
  t.equal(skipped.from.getTime(), skipped.until.getTime())
})

t.test('instants as local wall time', async (t) => {
  const newYork = zoneClock('America/New_York')
  t.equal(newYork.wallTime(new Date('2021-03-14T06:59:59.999Z')), '2021-03-14T01:59:59.999')
  t.equal(newYork.wallTime(new Date('2021-03-14T07:00:00.000Z')), '2021-03-14T03:00:00.000', 'the hour that never was is skipped')
  t.equal(zoneClock('Asia/Kathmandu').wallTime(new Date('2021-06-01T00:00:00.123Z')), '2021-06-01T05:45:00.123')
  t.equal(zoneClock('UTC').wallTime(new Date('2021-06-03T17:19:12.287Z')), '2021-06-03T17:19:12.287')
})

t.test('only IANA names are zones', async (t) => {
  for (const zone of ['UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) t.ok(isIanaTimeZone(zone), zone)
  for (const zone of ['', 'EST', 'PST8PDT_', '+0530', 'GMT+5', 'Mars/Olympus_Mons', 'Asia/']) t.notOk(isIanaTimeZone(zone), zone)
})
