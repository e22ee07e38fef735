// npm run lint: neostandard (the style the code is written in) and no import cycles, a module graph that reads
// one way (a route -> its service -> its repository -> the database, never back).
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import neostandard, { resolveIgnoresFromGitignore } from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: [...resolveIgnoresFromGitignore(), 'generated/**'] }),
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      // The modules a cycle passes through are parsed as TypeScript too.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js']
    },
    rules: {
      'import-x/no-cycle': 'error',
      // `void promise;` marks a promise deliberately not awaited (its failure handled where it is made).
      'no-void': ['error', { allowAsStatement: true }]
    }
  }
]
