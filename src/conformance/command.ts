// `tracker-users conformance`: the contract suite against any server, from the command line or a CI job.
import { writeFile } from 'node:fs/promises'
import { Command, CommanderError } from 'commander'
import { printLine, type Output } from '../platform/command.js'
import { junitXml } from './junit.js'
import { runConformance, type CheckResult } from './run.js'

export function conformanceCommand (output: Output): Command {
  const command = new Command('conformance')
    .description('check a server (this one, a deployment, or a vendor\'s API) against openapi.yaml over HTTP: every answer\'s status, envelope and format, and a user followed from creation through reads and updates to deletion')
    .requiredOption('--base-url <url>', 'the server, e.g. http://127.0.0.1:3000')
    .option('--roam-key <key>', 'a Roam API key: run the Roam checks with it')
    .option('--plaspy-user <userName>', 'a Plaspy user name (with --plaspy-key): run the Plaspy checks as it')
    .option('--plaspy-key <apiKey>', 'that user\'s API key')
    .option('--read-only', 'send nothing that creates, changes or deletes data (a Plaspy sign-in still buys a token)')
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--json', 'print JSON: every check and its failure, if any')
    .addHelpText('after', '\nExit code 0 when every check passed, 1 otherwise.\n\nExample:\n  $ tracker-users conformance --base-url http://127.0.0.1:3000 --roam-key 63598c5b3aa84f14914013709402bbc9 --junit conformance.xml')
    .action(async (options: { baseUrl: string, roamKey?: string, plaspyUser?: string, plaspyKey?: string, readOnly?: boolean, junit?: string, json?: boolean }) => {
      if (!URL.canParse(options.baseUrl)) command.error(`error: --base-url must be a URL such as http://127.0.0.1:3000, got "${options.baseUrl}"`)
      if ((options.plaspyUser === undefined) !== (options.plaspyKey === undefined)) command.error('error: --plaspy-user and --plaspy-key go together')
      if (options.roamKey === undefined && options.plaspyUser === undefined) command.error('error: give --roam-key, or --plaspy-user with --plaspy-key, or both')
      let n = 0
      const results = await runConformance(options, options.json === true ? undefined : (result) => printLine(output, line(++n, result)))
      if (options.junit !== undefined) await writeFile(options.junit, junitXml(results))
      const failed = results.filter((result) => result.failure !== undefined).length
      if (options.json === true) printLine(output, JSON.stringify({ passed: results.length - failed, failed, checks: results }))
      else printLine(output, `${results.length - failed} of ${results.length} checks passed${options.readOnly === true ? ' (read-only: the writing checks were not run)' : ''}`)
      // Exit code 1, with nothing more to say: the lines above said which checks failed.
      if (failed > 0) throw new CommanderError(1, 'tracker-users.conformanceFailed', '')
    })
  return command
}

/** One line per check, as TAP words it: `ok 3 roam: …` or `not ok 4 roam: … — why`. */
function line (n: number, { dialect, name, failure }: CheckResult): string {
  return `${failure === undefined ? 'ok' : 'not ok'} ${n} ${dialect}: ${name}${failure === undefined ? '' : ` — ${failure}`}`
}
