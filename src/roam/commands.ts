// `tracker-users roam-key …`: Roam issues keys from its dashboard, never over the API, so here they come
// from the command line.
import { Command } from 'commander'
import { print, withDatabase } from '../platform/command.js'
import { createRoamKey } from './keys.js'

export function roamKeyCommand (): Command {
  const command = new Command('roam-key').description('Roam API keys')
  command.command('create')
    .description('mint an API key for a new project of an account (or for --project); the key is shown once')
    .requiredOption('--account <name>', 'account name (created if new)')
    .option('--project <id>', 'an existing project of the account')
    .option('--json', 'print JSON')
    .action(async ({ account, project, json }) => {
      print(await withDatabase(({ prisma }) => createRoamKey(prisma, account, project)), Boolean(json))
    })
  return command
}
