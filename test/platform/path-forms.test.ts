// The spec's path for a path written as a vendor's framework would accept it.
import t from 'tap'
import { ignoringCaseAndTrailingSlash, rewritePath } from '../../src/platform/path-forms.js'

const canonical = ignoringCaseAndTrailingSlash(['/api/Auth/Token', '/api/users', '/api/users/:userId', '/api/users/timeZones'])

t.test('case and one trailing slash are ignored; parameters keep their case', async (t) => {
  t.equal(canonical('/API/auth/TOKEN/'), '/api/Auth/Token')
  t.equal(canonical('/api/users/'), '/api/users')
  t.equal(canonical('/api/USERS/usr-AbC'), '/api/users/usr-AbC')
  t.equal(canonical('/api/users/timezones'), '/api/users/timeZones', 'a literal segment beats a parameter')
})

t.test('anything else matches nothing', async (t) => {
  for (const path of ['/api/users//', '/api//users', '/api/users/a/b', '/api/user', '/', '/api/users/%20x/y']) t.equal(canonical(path), undefined, path)
})

t.test('rewritePath keeps the query and leaves unmatched URLs as they are', async (t) => {
  t.equal(rewritePath('/api/users/?a=1&b=/x/', canonical), '/api/users?a=1&b=/x/')
  t.equal(rewritePath('/elsewhere/?a=1', canonical), '/elsewhere/?a=1')
})
