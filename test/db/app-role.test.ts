// Two deployments on one Postgres cluster cannot reach each other's data: each database (and schema) grants the
// server's rights to a role of its own, tracker_users_<database>_<schema> unless `migrate --app-role` names one,
// and the cluster-wide tracker_users_app of earlier versions keeps nothing. Checked with the catalog and with a
// real login of one deployment trying the other's table.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import t from 'tap'
import { migrate } from '../../src/db/migrate.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'

t.test('a role per database and schema, named or derived, and nothing for the shared one', { skip: testProvider() !== 'postgresql' && 'Postgres only: SQLite has no roles' }, async (t) => {
  const [first, second, named] = [await testDatabaseUrl(t, { migrate: false }), await testDatabaseUrl(t, { migrate: false }), await testDatabaseUrl(t, { migrate: false })]
  const schemaOf = (url: string) => new URL(url).searchParams.get('schema')!
  const customRole = `tracker_users_custom_${randomBytes(4).toString('hex')}`
  const login = `tracker_users_login_${randomBytes(4).toString('hex')}`
  const owner = new pg.Client({ connectionString: ownerUrl(first) })
  await owner.connect()
  const query = async (text: string, values: unknown[] = []) => (await owner.query(text, values)).rows
  t.teardown(async () => {
    // Roles belong to the cluster and outlive the schemas: take back what they were granted here, then drop them.
    for (const role of [...made, customRole, login]) await owner.query(`DROP OWNED BY ${role}`).catch(() => {})
    for (const role of [login, ...made, customRole]) await owner.query(`DROP ROLE IF EXISTS ${role}`)
    await owner.end()
  })
  const made: string[] = []

  await migrate(first)
  await migrate(second)
  await migrate(named, { appRole: customRole })
  const roleOf = async (url: string) => (await query(`SELECT "${schemaOf(url)}".tracker_users_app_role() AS role`))[0].role as string
  const [firstRole, secondRole] = [await roleOf(first), await roleOf(second)]
  made.push(firstRole, secondRole)
  t.equal(firstRole, `tracker_users_test_${schemaOf(first)}`, 'derived from the database and the schema')
  t.not(firstRole, secondRole, 'two schemas, two roles')
  t.equal(await roleOf(named), customRole, '--app-role names it')

  const may = async (role: string, url: string, privilege: string) =>
    (await query('SELECT has_table_privilege($1, $2, $3) AS may', [role, `"${schemaOf(url)}".plaspy_users`, privilege]))[0].may as boolean
  t.ok(await may(firstRole, first, 'DELETE'), 'a role has the server\'s rights on its own tables')
  t.notOk(await may(firstRole, second, 'SELECT'), 'and none on another deployment\'s')
  t.ok(await may(customRole, named, 'DELETE'), 'a named role too')
  if ((await query('SELECT 1 FROM pg_roles WHERE rolname = \'tracker_users_app\'')).length > 0) {
    for (const url of [first, second, named]) t.notOk(await may('tracker_users_app', url, 'SELECT'), 'the shared role of earlier versions has nothing here')
  }

  // A real login of the first deployment, reading its own users and trying the second's.
  await query(`CREATE ROLE ${login} LOGIN PASSWORD '${login}' IN ROLE ${firstRole}`)
  const server = new pg.Client({ connectionString: ownerUrl(first, login) })
  await server.connect()
  t.teardown(() => server.end())
  t.same((await server.query(`SELECT count(*)::int AS n FROM "${schemaOf(first)}".plaspy_users`)).rows, [{ n: 0 }], 'its own table answers')
  await t.rejects(server.query(`DELETE FROM "${schemaOf(second)}".plaspy_users`), { code: '42501' }, 'the other deployment\'s is refused')
})

t.test('an app role that is not a plain name is refused before anything runs', async (t) => {
  const url = await testDatabaseUrl(t, { migrate: false })
  await t.rejects(migrate(url, { appRole: 'x; DROP TABLE y' }), { message: 'the app role must be a plain lower-case name (letters, digits, _; at most 63), got "x; DROP TABLE y"' })
})

/** The database of a test URL, without Prisma's ?schema=, as the owner or as `login`. */
function ownerUrl (url: string, login?: string): string {
  const server = new URL(url)
  server.searchParams.delete('schema')
  if (login !== undefined) server.username = server.password = login
  return server.href
}
