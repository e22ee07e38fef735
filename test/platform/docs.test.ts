import { readFile } from 'node:fs/promises'
import t from 'tap'
import { parse } from 'yaml'
import { specPath } from '../../src/platform/docs.js'
import { build } from '../helper.js'

t.test('Swagger UI serves the hand-written spec as it is', async (t) => {
  const app = await build(t)
  const spec = parse(await readFile(specPath, 'utf8'))

  const page = await app.inject({ url: '/docs' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)

  const json = await app.inject({ url: '/docs/json' })
  t.equal(json.statusCode, 200)
  t.same(json.json(), spec, '/docs/json is openapi.yaml')
  t.equal(json.json().openapi, '3.1.0')

  const yaml = await app.inject({ url: '/docs/yaml' })
  t.equal(yaml.statusCode, 200)
  t.same(parse(yaml.body), spec, '/docs/yaml is openapi.yaml')
})
