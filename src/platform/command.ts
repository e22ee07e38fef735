// What every `tracker-users` command shares: the database the server uses, and one way to print results.
import { openDatabase, type Database } from '../db/client.js'
import { migrate } from '../db/migrate.js'
import { databaseProvider } from '../db/url.js'

export const databaseUrl = process.env.DATABASE_URL || undefined

/** Opens the database for one command; the embedded default is migrated first, as `npm start` does. */
export async function withDatabase<T> (work: (db: Database) => Promise<T>): Promise<T> {
  if (databaseProvider(databaseUrl) === 'sqlite') await migrate(databaseUrl)
  const db = await openDatabase(databaseUrl)
  try {
    return await work(db)
  } finally {
    await db.close()
  }
}

/** Prints a result as JSON, or as `key: value` lines for a person. */
export function print (result: object, json: boolean): void {
  if (json) return console.log(JSON.stringify(result))
  for (const [key, value] of Object.entries(result)) console.log(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
}
