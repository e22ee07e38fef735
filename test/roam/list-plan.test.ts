// Get Users' count and page walk an index in the list's order, with or without a group, and the hours table for
// whole hours: no table scan and no sort, so their cost follows the page asked for and the hours counted, never
// the rest of the project.
import Sqlite from 'better-sqlite3'
import pg from 'pg'
import t, { type Test } from 'tap'
import { openDatabase } from '../../src/db/client.js'
import { postgresValue, sqliteValue } from '../../src/db/drivers.js'
import { cutAtHours, roamRepository } from '../../src/roam/repository.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'

const INDEX = 'roam_users_project_id_is_deleted_created_at_id_idx'
const GROUP_INDEX = 'roam_users_project_id_group_id_is_deleted_created_at_id_idx'

/** The repository's three statements for a page, without a group or with one, as the app compiles them. */
async function pageStatements (t: Test, url: string, from: Date, until: Date) {
  const db = await openDatabase(url)
  t.teardown(() => db.close())
  const scope = { projectId: 'p', groupId: 'g', from, until, ...cutAtHours(from, until), skip: 500, limit: 10 }
  return [false, true].map((grouped) => {
    const { count, seek, rows, countAndRows } = roamRepository(db).pageStatements(grouped)
    return { grouped, index: grouped ? GROUP_INDEX : INDEX, count: count(scope).compile(), seek: seek(scope).compile(), rows: rows(scope).compile(), countAndRows: countAndRows(scope).compile() }
  })
}

t.test('the plans', async (t) => {
  const url = await testDatabaseUrl(t)
  if (testProvider() === 'sqlite') await sqlitePlans(t, url)
  else await postgresPlans(t, url)
})

async function sqlitePlans (t: Test, url: string) {
  const db = new Sqlite(url.slice('file:'.length))
  t.teardown(() => db.close())
  const planOf = ({ sql, parameters }: { sql: string, parameters: readonly unknown[] }) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(parameters.map(sqliteValue)) as Array<{ detail: string }>).map((step) => step.detail)
  for (const { grouped, index, count, seek, rows } of await pageStatements(t, url, new Date('2026-01-01T05:30:00Z'), new Date('2026-02-01'))) {
    const name = grouped ? 'with a group' : 'without'
    const counting = planOf(count)
    t.same(counting.filter((step) => /\broam_users\b/.test(step)).map((step) => step.split(' (')[0]),
      [`SEARCH roam_users USING COVERING INDEX ${index}`, `SEARCH roam_users USING COVERING INDEX ${index}`],
      `${name}: the count reads the index alone, for the cut hour at each end\n${counting.join('\n')}`)
    for (const [statement, plan] of [['count', counting], ['seek', planOf(seek)]] as const) {
      t.same(plan.filter((step) => /\broam_user_hours\b/.test(step)).map((step) => step.split(' (')[0]),
        ['SEARCH roam_user_hours USING INDEX sqlite_autoindex_roam_user_hours_1'], `${name}: the ${statement} reads the hours by their key\n${plan.join('\n')}`)
    }
    const reading = planOf(rows)
    t.same(reading.map((step) => step.split(' (')[0]), [`SEARCH roam_users USING INDEX ${index}`], `${name}: the page walks the index, unsorted\n${reading.join('\n')}`)
  }
}

async function postgresPlans (t: Test, url: string) {
  const schema = new URL(url).searchParams.get('schema')!
  const server = new URL(url)
  server.searchParams.delete('schema')
  const db = new pg.Client({ connectionString: server.href })
  await db.connect()
  t.teardown(() => db.end())
  await db.query(`SET search_path TO "${schema}"`)
  // Enough rows, in two projects and a few groups, that the planner prefers what it would at scale.
  await db.query('INSERT INTO roam_accounts (id, name) VALUES (\'a\', \'a\')')
  await db.query('INSERT INTO roam_projects (id, account_id) VALUES (\'p\', \'a\'), (\'q\', \'a\')')
  await db.query('INSERT INTO roam_groups (id, project_id) VALUES (\'g\', \'p\'), (\'h\', \'p\')')
  await db.query(`INSERT INTO roam_users (id, project_id, app_type, device_token, group_id, is_deleted, created_at)
    SELECT lpad(to_hex(i), 24, '0'), CASE WHEN i % 5 = 0 THEN 'q' ELSE 'p' END, 1, 't', CASE i % 3 WHEN 0 THEN 'g' WHEN 1 THEN 'h' END,
      i % 50 = 0, timestamp '2026-01-01' + i * interval '1 minute' FROM generate_series(1, 50000) i`)
  await db.query('VACUUM ANALYZE roam_users')
  await db.query('VACUUM ANALYZE roam_user_hours')
  await db.query('SET plan_cache_mode = force_generic_plan') // as a named statement's plan becomes after a few runs
  // Ten days of fifty, cut at both ends as a time zone east of UTC cuts them.
  for (const { grouped, index, count, seek, rows, countAndRows } of await pageStatements(t, url, new Date('2026-01-10T05:30:00Z'), new Date('2026-01-20T05:30:00Z'))) {
    const name = grouped ? 'with a group' : 'without'
    const planOf = async ({ sql, parameters }: { sql: string, parameters: readonly unknown[] }) => {
      const { rows } = await db.query({ text: `EXPLAIN (FORMAT JSON) ${sql}`, values: parameters.map(postgresValue) })
      return flatten(rows[0]['QUERY PLAN'][0].Plan)
    }
    const shown = (nodes: PlanNode[]) => JSON.stringify(nodes.map((node) => [node['Node Type'], node['Index Name']]))
    const counting = await planOf(count)
    t.same(counting.filter((node) => node['Index Name'] !== undefined).map((node) => node['Index Name'] === index ? [node['Node Type'], index] : node['Index Name']),
      [['Index Only Scan', index], 'roam_user_hours_pkey', ['Index Only Scan', index]],
      `${name}: the count reads the index alone at each end, and the hours by their key ${shown(counting)}`)
    const seeking = await planOf(seek)
    t.ok(seeking.some((node) => node['Index Name'] === 'roam_user_hours_pkey') && !seeking.some((node) => node['Node Type'] === 'Seq Scan'), `${name}: the seek reads the hours by their key ${shown(seeking)}`)
    const reading = await planOf(rows)
    t.ok(reading.some((node) => node['Index Name'] === index) && !reading.some((node) => node['Node Type'] === 'Seq Scan'), `${name}: the page walks ${index} ${shown(reading)}`)
    const both = await planOf(countAndRows) // the first pages, on Postgres
    t.ok(both.filter((node) => node['Index Name'] === index).length === 3 && !both.some((node) => node['Node Type'] === 'Seq Scan'), `${name}: the first pages count and walk through ${index} ${shown(both)}`)
  }
}

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] }
function flatten (node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)]
}
