// `tracker-users plaspy-user …`: Plaspy issues API keys from its web UI, never over the API, so here they
// come from the command line.
import { Command } from 'commander'
import { isUniqueViolation } from '../db/errors.js'
import { print, withDatabase } from '../platform/command.js'
import { createLogin } from './logins.js'

export function plaspyUserCommand (): Command {
  const command = new Command('plaspy-user').description('Plaspy users who sign in with an API key')
  command.command('create')
    .description('create a user with read and write privileges and an API key; the key is shown once')
    .requiredOption('--account <name>', 'account name (created if new)')
    .requiredOption('--user <userName>', 'login name for POST /api/Auth/Token')
    .requiredOption('--email <email>', 'email address')
    .option('--name <name>', 'display name (default: the user name)')
    .option('--country <country>', 'ISO 3166 country', 'US')
    .option('--time-zone <zone>', 'IANA time zone', 'UTC')
    .option('--json', 'print JSON')
    .action(async ({ account, user, email, name, country, timeZone, json }) => {
      const login = { accountName: account, userName: user, email, name, country, timeZone }
      try {
        print(await withDatabase(({ prisma }) => createLogin(prisma, login)), Boolean(json))
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
        command.error(`a user named "${user}" or with email "${email}" already exists`)
      }
    })
  return command
}
