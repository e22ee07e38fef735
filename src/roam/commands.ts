// `tracker-users roam-key …`: Roam issues keys from its dashboard, never over the API, so here they come
// from the command line.
import { Command } from 'commander'
import { print, printLine, withDatabase, type Output } from '../platform/command.js'
import { createRoamKey, listRoamKeys, revokeRoamKey, type RoamKeySummary } from './keys.js'

export function roamKeyCommand (output: Output): Command {
  const command = new Command('roam-key')
    .description('Roam API keys, sent by clients in the Api-Key header: create, list, revoke')
    .addHelpText('after', '\nExample:\n  $ tracker-users roam-key create --account acme --json\n  $ tracker-users roam-key list --account acme')
  command.command('create')
    .description('mint an API key for a new project of an account (or for --project); the key is shown once')
    .requiredOption('--account <name>', 'account name (created if new)')
    .option('--project <id>', 'an existing project of the account')
    .option('--json', 'print JSON')
    .action(async ({ account, project, json }) => {
      print(output, await withDatabase((db) => createRoamKey(db, account, project)), Boolean(json))
    })
  command.command('list')
    .description('the keys of an account\'s projects: id, project, last four characters, created, revoked')
    .requiredOption('--account <name>', 'account name')
    .option('--json', 'print JSON')
    .action(async ({ account, json }) => {
      const keys = await withDatabase((db) => listRoamKeys(db, account))
      if (json) printLine(output, JSON.stringify(keys))
      else printKeys(output, keys)
    })
  command.command('revoke')
    .description('revoke a key; requests with it fail from then on')
    .argument('<keyId>', 'the key\'s id, as `list` shows it')
    .option('--json', 'print JSON')
    .action(async (keyId: string, { json }) => {
      print(output, await withDatabase((db) => revokeRoamKey(db, keyId)), Boolean(json))
    })
  return command
}

/** One line per key under a header, columns aligned. */
function printKeys (output: Output, keys: RoamKeySummary[]): void {
  const rows = [
    ['KEY ID', 'PROJECT ID', 'HINT', 'CREATED', 'REVOKED'],
    ...keys.map((key) => [key.key_id, key.project_id, `…${key.hint}`, key.created_at, key.revoked_at ?? '-'])
  ]
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  for (const row of rows) printLine(output, row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd())
}
