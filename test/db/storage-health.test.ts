// Readiness reports the database unwritable for a few seconds after a write failed for want of storage.
import t from 'tap'
import { StorageHealth } from '../../src/db/storage-health.js'

t.test('a storage failure holds for 5 s from the last one; other errors never', async (t) => {
  let now = 1_000
  const health = new StorageHealth(() => now)
  t.notOk(health.failing, 'healthy from the start')
  health.note({ code: 'P2002' })
  health.note(new Error('Connection terminated unexpectedly')) // unreachable, which the ping shows by itself
  t.notOk(health.failing, 'errors that are not about storage leave it healthy')
  health.note({ code: 'SQLITE_FULL' })
  t.ok(health.failing, 'failing after a disk-full write')
  now += 4_000
  health.note({ code: '25006' })
  now += 4_999
  t.ok(health.failing, 'the hold counts from the last failure')
  now += 1
  t.notOk(health.failing, 'and ends 5 s after it')
})
