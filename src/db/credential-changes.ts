// How a process learns that credentials changed, so that a cache of them (src/platform/credential-cache.ts)
// can drop what it holds before the next request reads it. Changes made in this process are announced
// directly; changes made by another process (the CLI revokes keys in its own process) are noticed through the
// database: SQLite's data_version, Postgres' LISTEN/NOTIFY.
import pg from 'pg'
import type { SqliteDriver } from './drivers.js'

/**
 * What the CLI and the services NOTIFY, in the transaction that revokes a credential (Postgres). The payload is
 * the schema: channels belong to the whole database, which may hold several deployments (one schema each).
 */
export const CREDENTIALS_CHANNEL = 'tracker_users_credentials'

export class CredentialChanges {
  readonly #listeners = new Set<() => void>()

  /** `listener` runs on every change, wherever it was made. */
  subscribe (listener: () => void): void {
    this.#listeners.add(listener)
  }

  /** A change is known: every cache drops what it holds. */
  changed (): void {
    for (const listener of this.#listeners) listener()
  }

  /** Runs before each cache read; false when a change could go unnoticed right now (then nothing is cached). */
  watching (): boolean {
    return true
  }

  async close (): Promise<void> {}
}

/** SQLite: `PRAGMA data_version` on the app's own connection moves whenever another connection commits. */
export class SqliteCredentialChanges extends CredentialChanges {
  constructor (private readonly driver: SqliteDriver) { super() }

  override watching (): boolean {
    if (this.driver.changedElsewhere()) this.changed()
    return true
  }
}

const RECONNECT_MS = 1000

/**
 * Postgres: a dedicated connection LISTENs on the channel, from the first subscriber on (a CLI process has
 * none, and opens no such connection). While it is down nothing is cached, and when it is back every cache
 * is dropped: notifications sent in between were lost.
 */
export class PostgresCredentialChanges extends CredentialChanges {
  #client: pg.Client | undefined
  #listening = false
  #closed = false
  #retry: NodeJS.Timeout | undefined

  constructor (private readonly config: pg.ClientConfig) { super() }

  override subscribe (listener: () => void): void {
    super.subscribe(listener)
    if (!this.#closed && this.#client === undefined && this.#retry === undefined) void this.#listen()
  }

  /** Resolves once listening, or once an attempt failed (a retry is then scheduled). */
  async #listen (): Promise<void> {
    this.#retry = undefined
    const client = new pg.Client(this.config)
    this.#client = client
    let schema: string | undefined // this deployment's, the one the connection's search_path names
    client.on('notification', ({ payload }) => { if (payload === schema) this.changed() })
    client.on('error', () => this.#lost(client))
    client.on('end', () => this.#lost(client))
    try {
      await client.connect()
      schema = (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema
      await client.query(`LISTEN ${CREDENTIALS_CHANNEL}`)
      if (client !== this.#client) return // closed meanwhile
      this.changed()
      this.#listening = true
    } catch {
      this.#lost(client)
    }
  }

  override watching (): boolean {
    return this.#listening
  }

  override async close (): Promise<void> {
    this.#closed = true
    clearTimeout(this.#retry)
    this.#listening = false
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
  }

  #lost (client: pg.Client): void {
    if (client !== this.#client) return // an earlier connection, already replaced
    this.#listening = false
    this.changed()
    this.#client = undefined
    client.end().catch(() => {})
    if (this.#closed) return
    this.#retry = setTimeout(() => { void this.#listen() }, RECONNECT_MS)
    this.#retry.unref()
  }
}
