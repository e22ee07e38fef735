#!/usr/bin/env node
// The compiled command (npm run build, which every install of this checkout runs): no TypeScript loader at run time.
// In development, `node --import tsx src/cli.ts` runs the sources as they are.
await import('../dist/src/cli.js')
