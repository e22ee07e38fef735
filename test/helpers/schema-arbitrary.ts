// fast-check arbitraries from the JSON Schemas of openapi.yaml: values a schema accepts, and values it refuses.
// Hand-written: no maintained JSON-Schema-to-fast-check library exists (json-schema-fast-check is stale, on
// fast-check 1), so this covers the subset the spec uses: type (or a list of types), const, enum, examples,
// anyOf/oneOf, $ref, string length/pattern/format (email, date, date-time), integer/number bounds, arrays
// (items, min/maxItems, uniqueItems), objects (properties, required, additionalProperties, maxProperties,
// propertyNames).
import fc from 'fast-check'
import type { Schema } from '../../src/conformance/spec.js'

export interface SchemaArbitraryOptions {
  /** Follows a local `$ref`. */
  resolve: (schema: Schema) => Schema
  /**
   * Values worth sending more often than chance finds them (ids that exist, a real login), by the name of a
   * component schema (`RoamObjectId`) or of an object property (`userName`); mixed with generated values.
   */
  hints?: Record<string, fc.Arbitrary<unknown>>
  /** Optional properties sent only now and then, because they are expensive to honour (a password to hash). */
  rare?: string[]
}

const anyJson = fc.jsonValue({ maxDepth: 2 })
/**
 * Any code point but the surrogates: what fast-check's `unit: 'binary'` draws, without the reverse map of all 1.1
 * million it builds on first use (a second of CPU, then a heap that every later collection walks).
 */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff - 0x800 })
  .map((point) => String.fromCodePoint(point < 0xd800 ? point : point + 0x800))
const maxGenerated = 8 // array items and map entries generated for a valid value, whatever the schema allows

export function schemaArbitraries (options: SchemaArbitraryOptions) {
  const { resolve, hints = {}, rare = [] } = options

  function hinted (name: string | undefined, generated: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    const hint = name === undefined ? undefined : hints[name]
    return hint === undefined ? generated : fc.oneof({ weight: 4, arbitrary: hint }, { weight: 1, arbitrary: generated })
  }

  /** Values `schema` accepts; `name` (of a property or parameter) picks up its hint. */
  function valid (schema: Schema, name?: string): fc.Arbitrary<unknown> {
    if (name !== undefined) return hinted(name, valid(schema))
    if (schema.$ref !== undefined) return hinted(refName(schema.$ref), valid(resolve(schema)))
    if ('const' in schema) return fc.constant(schema.const)
    if (schema.enum !== undefined) return fc.constantFrom(...schema.enum)
    const alternatives = schema.anyOf ?? schema.oneOf
    if (alternatives !== undefined) return fc.oneof(...alternatives.map((alternative: Schema) => valid(alternative)))
    const generated = byType(schema)
    return schema.examples?.length ? fc.oneof(fc.constantFrom(...schema.examples), generated) : generated
  }

  function byType (schema: Schema): fc.Arbitrary<unknown> {
    const types = typesOf(schema)
    if (types.length === 0) return anyJson
    return fc.oneof(...types.map((type) => ofType(type, schema)))
  }

  function ofType (type: string, schema: Schema): fc.Arbitrary<unknown> {
    switch (type) {
      case 'null': return fc.constant(null)
      case 'boolean': return fc.boolean()
      case 'integer': return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 })
      case 'number': return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true })
      case 'string': return validString(schema)
      case 'array': return validArray(schema)
      case 'object': return validObject(schema)
      default: throw new Error(`unsupported type ${type}`)
    }
  }

  function validString (schema: Schema): fc.Arbitrary<string> {
    const minLength = schema.minLength ?? 0
    const maxLength = schema.maxLength ?? 200
    const fits = (value: string) => [...value].length >= minLength && [...value].length <= maxLength
    switch (schema.format) {
      case 'email': return fc.emailAddress().filter(fits)
      case 'date': return someDate.map((date) => date.toISOString().slice(0, 10))
      case 'date-time': return someDate.map((date) => date.toISOString())
    }
    if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits)
    // Mostly printable text; now and then any code point (lone surrogates: test/fuzz-hostile.test.ts).
    return fc.oneof(
      { weight: 4, arbitrary: fc.string({ minLength, maxLength: Math.min(maxLength, 40) }) },
      { weight: 1, arbitrary: fc.string({ unit: anyCodePoint, minLength, maxLength: Math.min(maxLength, 40) }) },
      // At the limit; a short pattern repeated, since thousands of generated characters cost seconds a run.
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 4 }).map((unit) => unit.repeat(maxLength).slice(0, maxLength)).filter(fits) }
    )
  }

  function validArray (schema: Schema): fc.Arbitrary<unknown[]> {
    const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? maxGenerated, maxGenerated) }
    const items = valid(schema.items ?? {})
    return schema.uniqueItems ? fc.uniqueArray(items, { ...constraints, selector: (item) => JSON.stringify(item) }) : fc.array(items, constraints)
  }

  function validObject (schema: Schema): fc.Arbitrary<Record<string, unknown>> {
    const properties: Record<string, Schema> = schema.properties ?? {}
    const required = new Set<string>(schema.required ?? [])
    const fields = Object.entries(properties).map(([name, property]) => {
      const value = valid(property, name)
      if (required.has(name)) return value.map((v) => [name, v] as const)
      const absent = rare.includes(name) ? 30 : 1
      return fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value })
        .map((v) => [name, v] as const)
    })
    const known = fc.tuple(...fields).map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)))
    const additional = schema.additionalProperties
    if (additional === false || (additional === undefined && schema.properties !== undefined)) return known
    const maxKeys = Math.max(0, Math.min((schema.maxProperties ?? maxGenerated) - Object.keys(properties).length, maxGenerated))
    const entries = fc.dictionary(validString({ maxLength: schema.propertyNames?.maxLength ?? 64 }),
      typeof additional === 'object' ? valid(additional) : anyJson, { maxKeys })
    return fc.tuple(known, entries).map(([fixed, extra]) => ({ ...extra, ...fixed }))
  }

  /** Values `schema` refuses: a wrong type, a bound overstepped, a required field missing, one bad field deep down. */
  function invalid (schema: Schema): fc.Arbitrary<unknown> {
    if (schema.$ref !== undefined) return invalid(resolve(schema))
    const mutations: Array<fc.Arbitrary<unknown>> = []
    const types = typesOf(schema)
    if (types.length > 0) mutations.push(wrongType(types))
    if ('const' in schema || schema.enum !== undefined) {
      const allowed: unknown[] = 'const' in schema ? [schema.const] : schema.enum
      mutations.push(fc.oneof(anyJson, fc.string()).filter((value) => !allowed.some((a) => JSON.stringify(a) === JSON.stringify(value))))
    }
    if (types.includes('string')) mutations.push(...invalidStrings(schema))
    if (types.includes('integer') || types.includes('number')) mutations.push(...invalidNumbers(schema, types))
    if (types.includes('array')) mutations.push(...invalidArrays(schema))
    if (types.includes('object')) mutations.push(...invalidObjects(schema))
    const alternatives: Schema[] | undefined = schema.anyOf ?? schema.oneOf
    if (alternatives !== undefined) mutations.push(wrongType(alternatives.flatMap(typesOf)))
    return mutations.length === 0 ? fc.constant(undefined) : fc.oneof(...mutations)
  }

  function invalidStrings (schema: Schema): Array<fc.Arbitrary<unknown>> {
    const mutations: Array<fc.Arbitrary<unknown>> = []
    if (schema.maxLength !== undefined) mutations.push(fc.integer({ min: 1, max: 20 }).map((extra) => 'x'.repeat(schema.maxLength + extra)))
    if ((schema.minLength ?? 0) > 0) mutations.push(fc.string({ maxLength: schema.minLength - 1 }))
    if (schema.pattern !== undefined) {
      const pattern = new RegExp(schema.pattern)
      mutations.push(fc.string({ maxLength: 30 }).filter((value) => !pattern.test(value)))
    }
    if (schema.format !== undefined) {
      mutations.push(fc.constantFrom('', 'not-a-value', '2021-02-30', '2021-13-01T00:00:00Z', 'a@', '@b.c', '2021-06-01T25:00:00Z', '0000-00-00'))
    }
    return mutations
  }

  function invalidNumbers (schema: Schema, types: string[]): Array<fc.Arbitrary<unknown>> {
    const mutations: Array<fc.Arbitrary<unknown>> = []
    if (schema.minimum !== undefined) mutations.push(fc.integer({ min: -(2 ** 40), max: schema.minimum - 1 }))
    if (schema.maximum !== undefined) mutations.push(fc.oneof(fc.integer({ min: schema.maximum + 1, max: 2 ** 40 }), fc.constant(2 ** 64)))
    if (!types.includes('number')) mutations.push(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)))
    return mutations
  }

  function invalidArrays (schema: Schema): Array<fc.Arbitrary<unknown>> {
    const items: Schema = schema.items ?? {}
    const mutations: Array<fc.Arbitrary<unknown>> = [
      fc.tuple(validArray(schema), invalid(items), fc.nat()).map(([array, bad, at]) => {
        const copy = [...array]
        copy.splice(at % (copy.length + 1), 0, bad)
        return copy
      })
    ]
    if (schema.maxItems !== undefined) mutations.push(valid(items).map((item) => Array.from({ length: schema.maxItems + 1 }, () => item)))
    if ((schema.minItems ?? 0) > 0) mutations.push(fc.constant([]))
    if (schema.uniqueItems) mutations.push(valid(items).map((item) => [item, item]))
    return mutations
  }

  function invalidObjects (schema: Schema): Array<fc.Arbitrary<unknown>> {
    const properties: Record<string, Schema> = schema.properties ?? {}
    const mutations: Array<fc.Arbitrary<unknown>> = []
    const required: string[] = schema.required ?? []
    if (required.length > 0) {
      mutations.push(fc.tuple(validObject(schema), fc.constantFrom(...required)).map(([value, name]) => {
        const { [name]: _missing, ...rest } = value
        return rest
      }))
    }
    const names = Object.keys(properties)
    if (names.length > 0) {
      const badField = fc.oneof(...names.map((name) => invalid(properties[name]!).map((bad) => [name, bad] as const)))
      mutations.push(fc.tuple(validObject(schema), badField).map(([value, [name, bad]]) => ({ ...value, [name]: bad })))
    }
    const additional = schema.additionalProperties
    if (typeof additional === 'object') {
      mutations.push(fc.tuple(validObject(schema), fc.string({ minLength: 1, maxLength: 10 }), invalid(additional))
        .map(([value, key, bad]) => ({ ...value, [`k${key}`]: bad })))
    }
    if (schema.maxProperties !== undefined) {
      mutations.push(valid(additional && typeof additional === 'object' ? additional : {}).map((value) =>
        Object.fromEntries(Array.from({ length: schema.maxProperties + 1 }, (_, i) => [`key${i}`, value]))))
    }
    if (schema.propertyNames?.maxLength !== undefined) {
      mutations.push(validObject(schema).map((value) => ({ ...value, ['k'.repeat(schema.propertyNames.maxLength + 1)]: 'v' })))
    }
    return mutations
  }

  return { valid, invalid }
}

const someDate = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true })

function typesOf (schema: Schema): string[] {
  if (schema.type === undefined) return []
  return [schema.type].flat()
}

/** A JSON value of none of `types` (an integer counts as a number). */
function wrongType (types: string[]): fc.Arbitrary<unknown> {
  const samples: Record<string, fc.Arbitrary<unknown>> = {
    null: fc.constant(null),
    boolean: fc.boolean(),
    integer: fc.integer(),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    string: fc.string({ maxLength: 20 }),
    array: fc.array(anyJson, { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 })
  }
  const wrong = Object.entries(samples)
    .filter(([type]) => !types.includes(type) && !(type === 'integer' && types.includes('number')))
    .map(([, arbitrary]) => arbitrary)
  return fc.oneof(...wrong)
}

function refName (ref: string): string | undefined {
  return ref.split('/').at(-1)
}
