// The seed of a fuzz run: FUZZ_SEED when given (to replay one); under CI a fixed one, so that a red CI run is the
// code's doing and replays as it is; otherwise a new one each run, to explore.
const CI_SEED = 2

export function fuzzSeed (): number {
  if (process.env.FUZZ_SEED !== undefined) return Number(process.env.FUZZ_SEED)
  return process.env.CI === 'true' ? CI_SEED : Math.floor(Math.random() * 2 ** 31)
}
