// src/fixtures/schema.ts -> fixtures/seed.schema.json, the fixture document's JSON Schema for editors and other
// tools (a YAML file may point at it: `# yaml-language-server: $schema=./seed.schema.json`).
// Usage: tsx scripts/fixture-schema.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs'
import { FixtureSchema } from '../src/fixtures/schema.js'

const OUT = 'fixtures/seed.schema.json'
const text = JSON.stringify(FixtureSchema, null, 2) + '\n'
if (process.argv.includes('--check')) {
  let current = ''
  try { current = readFileSync(OUT, 'utf8') } catch {}
  if (current !== text) {
    console.error(`${OUT} is stale: run npm run generate`)
    process.exit(1)
  }
} else {
  writeFileSync(OUT, text)
  console.log(`wrote ${OUT}`)
}
