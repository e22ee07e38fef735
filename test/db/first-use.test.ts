// First uses of one account name at the same moment (two CLI runs, a suite minting in parallel) all succeed, and
// make one account: one INSERT … ON CONFLICT (name) DO UPDATE … RETURNING id (src/db/query.ts: accountNamed).
import t from 'tap'
import { openDatabase } from '../../src/db/client.js'
import { createLogin } from '../../src/plaspy/logins.js'
import { createRoamKey } from '../../src/roam/keys.js'
import { testDatabaseUrl } from '../helpers/database.js'

t.test('concurrent first uses of an account name make one account, and every credential', async (t) => {
  const db = await openDatabase(await testDatabaseUrl(t), { prisma: true })
  t.teardown(() => db.close())
  const n = 12
  const logins = await Promise.all(Array.from({ length: n }, (_, i) =>
    createLogin(db, { accountName: 'acme', userName: `user${i}`, email: `user${i}@example.com` })))
  const keys = await Promise.all(Array.from({ length: n }, () => createRoamKey(db, 'acme')))
  t.equal(await db.prisma.plaspyAccount.count({ where: { name: 'acme' } }), 1, 'one Plaspy account')
  t.equal(await db.prisma.plaspyUser.count({ where: { id: { in: logins.map((login) => login.user_id) } } }), n, `${n} Plaspy users in it`)
  t.equal(await db.prisma.roamAccount.count({ where: { name: 'acme' } }), 1, 'one Roam account')
  t.equal(new Set(keys.map((key) => key.account_id)).size, 1, `${n} Roam keys, all of it`)
})
