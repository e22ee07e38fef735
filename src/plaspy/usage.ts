// apiUsage / apiDailyUsage: the principal's authenticated requests in total and today (UTC), this one
// included. One atomic upsert per request, so N concurrent requests move the counters by exactly N and
// every response shows a value of its own. Raw SQL because the day rollover (reset `daily` when the
// stored day is not today) is a conditional increment that Prisma's update API cannot express.
import type { PrismaClient } from '../db/client.js'

export interface Usage {
  apiUsage: number
  apiDailyUsage: number
}

export async function countRequest (prisma: PrismaClient, userId: string, now: Date): Promise<Usage> {
  const day = now.toISOString().slice(0, 10)
  const [row] = await prisma.$queryRaw<Array<{ total: number | bigint, daily: number | bigint }>>`
    INSERT INTO plaspy_usage (user_id, total, day, daily) VALUES (${userId}, 1, ${day}, 1)
    ON CONFLICT (user_id) DO UPDATE SET
      total = plaspy_usage.total + 1,
      daily = CASE WHEN plaspy_usage.day = excluded.day THEN plaspy_usage.daily + 1 ELSE 1 END,
      day = excluded.day
    RETURNING total, daily`
  return { apiUsage: Number(row!.total), apiDailyUsage: Number(row!.daily) }
}
