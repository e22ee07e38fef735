// Where a server's time goes: a V8 .cpuprofile (from `BENCH_CPU_PROF=dir npm run bench`) summarised as self
// time per package and the top functions. Usage: tsx bench/profile.ts <file.cpuprofile> [top=25]
// (--cpu-prof writes one file per thread and process: the app's, and the baseline's main thread and its tsx loader's.)
import { readFile } from 'node:fs/promises'

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
}
interface Profile { nodes: ProfileNode[], samples: number[], timeDeltas: number[] }

/** A frame's owner: the npm package, the project's own code, Node itself, or V8's pseudo-frames. */
function owner ({ functionName, url }: ProfileNode['callFrame']): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]
  if (pkg !== undefined) return pkg
  if (url.includes('/generated/prisma/')) return 'generated prisma client'
  if (url.includes('/src/')) return 'our code (src/)'
  if (url.includes('/bench/')) return 'bench'
  if (url.startsWith('node:')) return 'node core'
  if (url.startsWith('wasm://')) return 'wasm'
  if (url === '') return functionName.startsWith('(') ? functionName : 'native/builtin'
  return url
}

const [file, top = '25'] = process.argv.slice(2)
if (file === undefined) throw new Error('usage: tsx bench/profile.ts <file.cpuprofile> [top]')
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const self = new Map<number, number>()
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))

const total = [...self.values()].reduce((sum, us) => sum + us, 0)
const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((sum, [, us]) => sum + us, 0)
const busy = total - idle
const percent = (us: number) => `${(100 * us / busy).toFixed(1).padStart(5)}%`

const groups = new Map<string, number>()
const functions = new Map<string, number>()
for (const [id, us] of self) {
  const frame = byId.get(id)!.callFrame
  if (frame.functionName === '(idle)') continue
  const group = owner(frame)
  groups.set(group, (groups.get(group) ?? 0) + us)
  const name = `${frame.functionName || '(anonymous)'}  [${group}${frame.url ? `:${frame.lineNumber + 1}` : ''}]`
  functions.set(name, (functions.get(name) ?? 0) + us)
}

console.log(`${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle; shares below are of the non-idle time\n`)
console.log('self time by owner')
for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${percent(us)}  ${group}`)
console.log(`\ntop ${top} functions by self time`)
for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${percent(us)}  ${name}`)
