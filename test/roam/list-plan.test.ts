// Get Users' count and page walk an index in the list's order, with or without a group: no table scan and no
// sort, so their cost follows the page asked for and the rows counted, never the rest of the table.
import Sqlite from 'better-sqlite3'
import pg from 'pg'
import t, { type Test } from 'tap'
import { openDatabase } from '../../src/db/client.js'
import { postgresValue, sqliteValue } from '../../src/db/drivers.js'
import { roamRepository, type RoamPageQuery } from '../../src/roam/repository.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'

const INDEX = 'roam_users_project_id_is_deleted_created_at_id_idx'
const GROUP_INDEX = 'roam_users_project_id_group_id_is_deleted_created_at_id_idx'

/** The repository's statements for a page, without a group and with one, as the app compiles them. */
async function pageStatements (t: Test, url: string, page: RoamPageQuery & { groupId: string }) {
  const db = await openDatabase(url)
  t.teardown(() => db.close())
  const [PAGE, GROUP_PAGE] = roamRepository(db).pageStatements(page)
  return { PAGE: PAGE!, GROUP_PAGE: GROUP_PAGE! }
}

t.test('the plans', async (t) => {
  const url = await testDatabaseUrl(t)
  if (testProvider() === 'sqlite') await sqlitePlans(t, url)
  else await postgresPlans(t, url)
})

async function sqlitePlans (t: Test, url: string) {
  const statements = await pageStatements(t, url, { projectId: 'p', from: new Date('2026-01-01'), until: new Date('2026-02-01'), groupId: 'g', limit: 10, offset: 500_000 })
  const db = new Sqlite(url.slice('file:'.length))
  t.teardown(() => db.close())
  for (const [name, { sql, parameters }, index] of [
    ['PAGE', statements.PAGE, INDEX],
    ['GROUP_PAGE', statements.GROUP_PAGE, GROUP_INDEX]
  ] as const) {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(parameters.map(sqliteValue)) as Array<{ id: number, parent: number, detail: string }>
    const shown = plan.map((step) => step.detail).join('\n')
    const reads = plan.filter((step) => /\broam_users\b/.test(step.detail))
    t.equal(reads.length, 2, `${name}: the count and the page each read roam_users once\n${shown}`)
    t.ok(reads.every((step) => step.detail.startsWith(`SEARCH roam_users USING COVERING INDEX ${index} `) || step.detail.startsWith(`SEARCH roam_users USING INDEX ${index} `)), `${name}: through ${index}`)
    t.ok(reads.some((step) => step.detail.includes('COVERING INDEX')), `${name}: the count from the index alone`)
    const page = plan.find((step) => /^(MATERIALIZE|CO-ROUTINE) page$/.test(step.detail))!
    t.notOk(plan.some((step) => step.parent === page.id && /TEMP B-TREE/.test(step.detail)), `${name}: the matching rows are not sorted for the page\n${shown}`)
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
  await db.query('SET plan_cache_mode = force_generic_plan') // as a named statement's plan becomes after a few runs
  // One day of fifty: the planner picks its own way to the page (an ordered index scan at scale, a bitmap
  // scan and a sort of a small day), but always through the index, and the count from the index alone.
  const statements = await pageStatements(t, url, { projectId: 'p', from: new Date('2026-01-10'), until: new Date('2026-01-11'), groupId: 'g', limit: 10, offset: 500 })
  for (const [name, { sql, parameters }, index] of [
    ['PAGE', statements.PAGE, INDEX],
    ['GROUP_PAGE', statements.GROUP_PAGE, GROUP_INDEX]
  ] as const) {
    const { rows } = await db.query({ text: `EXPLAIN (FORMAT JSON) ${sql}`, values: parameters.map(postgresValue) })
    const nodes = flatten(rows[0]['QUERY PLAN'][0].Plan)
    const shown = JSON.stringify(nodes.map((node) => [node['Node Type'], node['Index Name']]))
    t.notOk(nodes.some((node) => node['Node Type'] === 'Seq Scan'), `${name}: no table scan ${shown}`)
    const indexes = nodes.filter((node) => node['Index Name'] !== undefined)
    t.ok(indexes.length === 2 && indexes.every((node) => node['Index Name'] === index), `${name}: the count and the page each through ${index} ${shown}`)
    t.ok(nodes.some((node) => node['Node Type'] === 'Index Only Scan'), `${name}: the count from the index alone ${shown}`)
  }
}

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] }
function flatten (node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)]
}
