// Paths as a vendor's own web framework routes them, for clients written against that framework rather than
// against the docs: ASP.NET Core (Plaspy) ignores case and a trailing slash. Fastify has one router for the
// whole server, whose options would change every dialect's paths; so a dialect's forms are brought to the
// spec's own path before routing, by matching that dialect's route templates, and no other path changes.

/**
 * For route templates (`/api/users/:userId`), a function from a path to the template it matches ignoring case
 * and one trailing slash, with the template's casing and the parameters as sent; undefined when none matches.
 * Where several match, the one with more literal segments wins (`/api/users/timezones` is the zones list,
 * not a user of that id), as in ASP.NET Core.
 */
export function ignoringCaseAndTrailingSlash (templates: readonly string[]): (path: string) => string | undefined {
  const parsed = templates.map((template) => template.split('/'))
  return function canonical (path) {
    const segments = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).split('/')
    let best: string[] | undefined
    let bestLiterals = -1
    for (const template of parsed) {
      if (template.length !== segments.length) continue
      const literals = template.filter((part) => !part.startsWith(':'))
      const matches = template.every((part, i) => part.startsWith(':') ? segments[i] !== '' : part.toLowerCase() === segments[i]!.toLowerCase())
      if (matches && literals.length > bestLiterals) [best, bestLiterals] = [template, literals.length]
    }
    return best?.map((part, i) => part.startsWith(':') ? segments[i] : part).join('/')
  }
}

/** `url` with its path replaced by `rewrite(path)` where that gives one; the query string as it was. */
export function rewritePath (url: string, rewrite: (path: string) => string | undefined): string {
  const queryAt = url.indexOf('?')
  const path = queryAt === -1 ? url : url.slice(0, queryAt)
  const rewritten = rewrite(path)
  return rewritten === undefined ? url : rewritten + (queryAt === -1 ? '' : url.slice(queryAt))
}
