// The SQLite connection's group commit (src/db/drivers.ts): the writes of concurrent requests are committed
// together, and each is answered only once it is durable. Checked on a file of its own, with a second
// connection standing in for another process, which sees only what is committed.
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import t, { type Test } from 'tap'
import { SqliteDriver } from '../../src/db/drivers.js'

function open (t: Test) {
  const file = join(t.testdir(), 'group-commit.db')
  const driver = new SqliteDriver(file)
  const other = new Sqlite(file)
  t.teardown(() => {
    other.close()
    driver.close()
  })
  other.exec(`
    CREATE TABLE parents (id INTEGER PRIMARY KEY);
    CREATE TABLE children (id INTEGER PRIMARY KEY, name TEXT UNIQUE,
      parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED);
    INSERT INTO parents VALUES (1);`)
  const insert = (id: number, name: string, parent = 1) => driver.execute('INSERT INTO children (id, name, parent) VALUES (?, ?, ?)', [id, name, parent])
  const committed = () => other.prepare('SELECT id FROM children ORDER BY id').pluck().all()
  return { driver, insert, committed }
}

/** Lets the statements issued so far run, within the same turn of the event loop: the batch is not committed yet. */
async function withinTheTurn (): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

t.test('writes of one turn of the event loop commit together, each answered once it is durable', async (t) => {
  const { insert, committed } = open(t)
  const writes = [insert(1, 'a'), insert(2, 'b'), insert(3, 'c')]
  t.same(committed(), [], 'nothing is committed while the turn runs')
  await writes[0]
  t.same(committed(), [1, 2, 3], 'the first answer comes with all three durable')
  t.same((await Promise.all(writes)).map(({ changes }) => changes), [1, 1, 1])
})

t.test('a failed statement undoes only itself; the batch goes on', async (t) => {
  const { insert, committed } = open(t)
  const outcomes = await Promise.allSettled([insert(1, 'a'), insert(2, 'a'), insert(3, 'c')])
  t.same(outcomes.map(({ status }) => status), ['fulfilled', 'rejected', 'fulfilled'])
  t.match(outcomes[1], { reason: { code: 'SQLITE_CONSTRAINT_UNIQUE' } })
  t.same(committed(), [1, 3])
})

t.test('a commit that fails fails every statement of its batch, and keeps none', async (t) => {
  const { insert, committed } = open(t)
  // The foreign key is checked at COMMIT: each statement succeeds, and the commit of all three fails.
  const outcomes = await Promise.allSettled([insert(1, 'a'), insert(2, 'b', 99), insert(3, 'c')])
  t.same(outcomes.map(({ status }) => status), ['rejected', 'rejected', 'rejected'], 'no write of the batch is acknowledged')
  t.match(outcomes[0], { reason: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } })
  t.same(committed(), [])
  await insert(4, 'd')
  t.same(committed(), [4], 'the next batch commits')
})

t.test('a read while a batch holds writes sees them, and is answered after they are durable', async (t) => {
  const { driver, insert, committed } = open(t)
  const write = insert(1, 'a')
  await withinTheTurn()
  t.same(committed(), [], 'the write has run, uncommitted')
  const { rows } = await driver.execute<{ id: number }>('SELECT id FROM children', [])
  t.same(rows, [{ id: 1 }])
  t.same(committed(), [1], 'what the read saw was durable when it was answered')
  await write
})

t.test('a read while a batch holds writes does not fail with it: it answers what is committed', async (t) => {
  const { driver, insert } = open(t)
  const write = insert(1, 'a', 99) // the deferred foreign key fails the commit
  await withinTheTurn()
  const read = driver.execute<{ id: number }>('SELECT id FROM parents', [])
  await t.rejects(write, { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
  t.same((await read).rows, [{ id: 1 }])
  t.same((await driver.execute('SELECT id FROM children', [])).rows, [], 'and never saw the failed write')
})

t.test('a transaction behind a batch that waits for another process\'s lock waits one busy_timeout in all', async (t) => {
  const file = join(t.testdir(), 'lock.db')
  const busyDeadlineMs = 400
  const other = new Sqlite(file)
  other.exec('CREATE TABLE children (id INTEGER PRIMARY KEY)')
  const driver = new SqliteDriver(file, busyDeadlineMs)
  t.teardown(() => {
    other.close()
    driver.close()
  })
  other.exec('BEGIN IMMEDIATE') // held throughout
  const started = performance.now()
  const write = driver.execute('INSERT INTO children (id) VALUES (1)', [])
  const transaction = driver.begin({})
  await t.rejects(write, { code: 'SQLITE_BUSY' })
  await t.rejects(transaction, { code: 'SQLITE_BUSY' })
  const waited = performance.now() - started
  t.ok(waited < busyDeadlineMs * 1.75, `the transaction gave up after ${waited.toFixed(0)} ms, not after two timeouts`)
  other.exec('ROLLBACK')
})

t.test('a transaction waits for the open batch, and its rollback takes none of the batch\'s writes', async (t) => {
  const { driver, insert, committed } = open(t)
  const owner = {}
  const write = insert(1, 'a')
  await driver.begin(owner)
  t.same(committed(), [1], 'the batch committed before the transaction began')
  const waiting = insert(3, 'c') // another request's write: waits for the transaction's end
  await driver.execute('INSERT INTO children (id, name, parent) VALUES (2, \'b\', 1)', [], owner)
  await driver.rollback(owner)
  await Promise.all([write, waiting])
  t.same(committed(), [1, 3])
})

t.test('closing commits the open batch', async (t) => {
  const file = join(t.testdir(), 'close.db')
  const setup = new Sqlite(file)
  setup.exec('CREATE TABLE children (id INTEGER PRIMARY KEY)')
  setup.close()
  const driver = new SqliteDriver(file)
  const write = driver.execute('INSERT INTO children (id) VALUES (1)', [])
  await withinTheTurn() // the write has run, and waits for the commit
  driver.close()
  t.same(await write, { rows: [], changes: 1 })
  const reopened = new Sqlite(file)
  t.same(reopened.prepare('SELECT id FROM children').pluck().all(), [1])
  reopened.close()
})
