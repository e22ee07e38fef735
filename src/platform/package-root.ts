// Where the package's own files are (openapi.yaml, package.json, prisma/migrations), found from this file.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The nearest directory up from this file that holds package.json: the same whether this runs as TypeScript
 * (src/platform/) or compiled (dist/src/platform/), and not the working directory, since the CLI may run
 * anywhere. By hand: four lines, where package-directory would add two packages to every install.
 */
export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)))

function packageRoot (directory: string): string {
  if (existsSync(join(directory, 'package.json'))) return directory
  if (dirname(directory) === directory) throw new Error('tracker-users: no package.json above its own files')
  return packageRoot(dirname(directory))
}

/**
 * What `npm start` gives node (package.json's `start`): the compiled server and the V8 settings production runs it
 * with. The tests and the bench start the server with these, so that they measure the command the README deploys.
 */
export function npmStartArgs (): string[] {
  const { scripts } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
  const [command, ...args] = scripts.start.split(' ')
  if (command !== 'node') throw new Error(`package.json: start runs ${command}, not node`)
  return args
}
