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
  const { servers, ...served } = json.json()
  const { servers: specServers, ...rest } = spec
  t.same(served, rest, '/docs/json is openapi.yaml')
  t.same(servers, [{ url: 'http://localhost:80', description: 'This server' }, ...specServers], 'with this server first, for "Try it out"')
  t.equal(json.json().openapi, '3.1.0')

  const yaml = await app.inject({ url: '/docs/yaml' })
  t.equal(yaml.statusCode, 200)
  const { servers: yamlServers, ...yamlRest } = parse(yaml.body)
  t.same(yamlRest, rest, '/docs/yaml is openapi.yaml')
  t.same(yamlServers, servers, 'with the same servers')
})
