// A named row made on first use (a Plaspy or Roam account the CLI names). Prisma's upsert reads, then writes,
// unless it can hand the work to the database's own upsert, so two first uses of one name race: the loser's unique
// violation means the row now exists, and reading it is the answer.
import { isUniqueViolation } from './errors.js'

export async function findOrCreate<T> (upsert: () => Promise<T>, find: () => Promise<T>): Promise<T> {
  try {
    return await upsert()
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    return find()
  }
}
