// The environment of a process the tests start: theirs, without the test runner's own hook. tap adds its
// process-info hook to NODE_OPTIONS, and on Node 20 such a hook loads every module through a thread of its own:
// about half a second of CPU for each server, command or Prism the suite starts, and nothing production runs.

const TAP_HOOK = /--(?:import|loader)=\S*@tapjs\/\S*/g

/** process.env with `env` added and tap's hooks left out of NODE_OPTIONS (kept: whatever else it holds). */
export function childEnv (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const nodeOptions = process.env.NODE_OPTIONS?.replace(TAP_HOOK, '').trim()
  return { ...process.env, NODE_OPTIONS: nodeOptions || undefined, ...env }
}
