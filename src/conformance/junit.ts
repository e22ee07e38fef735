// JUnit XML, the report format CI systems read. Written by hand: one suite of flat test cases is a dozen lines,
// where a report-builder package would bring an XML library along.
import type { CheckResult } from './run.js'

export function junitXml (results: CheckResult[], suite = 'tracker-users conformance'): string {
  const failures = results.filter((result) => result.failure !== undefined).length
  const seconds = (ms: number) => (ms / 1000).toFixed(3)
  const cases = results.map(({ dialect, name, failure, ms }) =>
    `    <testcase classname="${xml(dialect)}" name="${xml(name)}" time="${seconds(ms)}">` +
    (failure === undefined ? '' : `\n      <failure message="${xml(failure)}"/>\n    `) + '</testcase>')
  const total = results.reduce((sum, result) => sum + result.ms, 0)
  return ['<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failures}" time="${seconds(total)}">`,
    `  <testsuite name="${xml(suite)}" tests="${results.length}" failures="${failures}" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>', ''].join('\n')
}

/** Text as an XML attribute value; characters XML 1.0 cannot hold at all become U+FFFD. */
function xml (text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}
