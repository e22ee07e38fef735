// Row-level security on Postgres: whose rows a query may see. The server logs in as a member of its
// deployment's app role (prisma/migrations/postgres/*_app_role_per_database), for which every table's policy
// (*_row_level_security) admits only the rows of the tenant its connection is set to: a query that forgets its
// tenant filter finds nothing of another tenant, and one run outside any tenant finds nothing at all.
import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'

/** A Roam project or a Plaspy account. */
export type Tenant = { roamProject: string } | { plaspyAccount: string }

/**
 * For statements that see past the policies by themselves (SECURITY DEFINER functions looking a credential up
 * by its hash): they run on whatever tenant the connection is set to, sparing a round trip to change it.
 */
export const ANY_TENANT = Symbol('any tenant')

// Node's own: the tenant has to reach Prisma's queries through Prisma, which takes no per-query context.
const current = new AsyncLocalStorage<Tenant | typeof ANY_TENANT>()

/**
 * Runs `work` with every query it makes, Prisma's and the repositories', scoped to `tenant`. Not findUnique:
 * Prisma batches those made in the same tick into one query, run in the tenant of the first; findFirst is not.
 */
export function asTenant<T> (tenant: Tenant | typeof ANY_TENANT, work: () => T): T {
  return current.run(tenant, () => {
    const result = work()
    // A Prisma query starts only once awaited: start it here, inside the tenant.
    return isThenable(result) ? result.then((value) => value) as T : result
  })
}

function isThenable (value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'
}

/** The two settings the policies read, a Roam project and a Plaspy account; '' matches no row. */
function settingsOf (tenant: Tenant | undefined): [roamProject: string, plaspyAccount: string] {
  if (tenant === undefined) return ['', '']
  return 'roamProject' in tenant ? [tenant.roamProject, ''] : ['', tenant.plaspyAccount]
}

const SET_TENANT = {
  name: 'set_tenant',
  text: "SELECT set_config('tracker_users.roam_project', $1, false), set_config('tracker_users.plaspy_account', $2, false)"
}

/** pg's callback form of connect() (its last overload), which pg's own pool.query() uses. */
type ConnectCallback = Parameters<pg.Pool['connect']>[0]

/**
 * A pg pool that sets each connection it hands out to the caller's tenant (asTenant; none outside it). The
 * setting is for the session, made outside any transaction, and only when the connection was set to another
 * tenant: a transaction-local one would add BEGIN and COMMIT to every statement, a session one per checkout a
 * round trip to each; this adds one only when a connection changes tenant, so none under one tenant's load and
 * at most one a request (about 0.1 ms on loopback). Prisma's adapter and the repositories both check out here.
 */
export class TenantPool extends pg.Pool {
  readonly #tenantOf = new WeakMap<pg.PoolClient, string>()

  override connect (): Promise<pg.PoolClient>
  override connect (callback: ConnectCallback): void
  override connect (callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    // Read now: the pool hands a connection over in whichever context released it.
    const tenant = current.getStore()
    const checkout = super.connect().then((client) => this.#setTo(client, tenant))
    if (callback === undefined) return checkout
    checkout.then((client) => callback(undefined, client, client.release), (error: Error) => callback(error, undefined, () => {}))
    return undefined
  }

  async #setTo (client: pg.PoolClient, tenant: Tenant | typeof ANY_TENANT | undefined): Promise<pg.PoolClient> {
    if (tenant === ANY_TENANT) return client
    const values = settingsOf(tenant)
    const key = values.join(' ') // ids hold no spaces
    if (this.#tenantOf.get(client) === key) return client
    try {
      await client.query({ ...SET_TENANT, values })
    } catch (error) {
      client.release(error as Error) // a connection in an unknown state is not reused
      throw error
    }
    this.#tenantOf.set(client, key)
    return client
  }
}
