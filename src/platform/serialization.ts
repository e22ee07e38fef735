// Response serialization as Fastify's default does it (fast-json-stringify through its compiler package), but
// compiled once per process: the response schemas are the constants of generated/schemas.ts, so every app built
// in this process (tests build ~175) reuses what the first compiled. No app adds shared schemas (addSchema), so
// the serializers depend on the schema alone.
import type { FastifyInstance } from 'fastify'
import { SerializerSelector, type Serializer } from '@fastify/fast-json-stringify-compiler'

const compile = SerializerSelector()()
const compiled = new WeakMap<object, Serializer>()

export function installSerializers (app: FastifyInstance): void {
  app.setSerializerCompiler((route) => {
    const schema = route.schema as object
    let serialize = compiled.get(schema)
    if (serialize === undefined) compiled.set(schema, serialize = compile({ ...route, httpStatus: route.httpStatus ?? '' }))
    return serialize
  })
}
