// Swagger UI as a person uses it, in headless Chromium (Debian's package, driven by playwright-core; no browser
// download): open /docs on the real server, Authorize with a real Roam key, run the Roam PUT through "Try it
// out", then Authorize with a real bearer token and run the Plaspy PUT; both answer 200. Screenshots go to
// .tap/screenshots/ (UPDATE_SCREENSHOTS=1: docs/screenshots/, which the README shows). Without
// /usr/bin/chromium: a failure under CI, a skip elsewhere.
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { chromium, type Page } from 'playwright-core'
import { PACKAGE_ROOT } from '../../src/platform/package-root.js'
import { testDatabaseUrl } from '../helpers/database.js'
import { mint } from '../helpers/command.js'
import { startServer } from '../helpers/server.js'

// Real processes and a browser: more than tap's default 30 s under a parallel run.
t.setTimeout(180_000)

const executablePath = '/usr/bin/chromium'
// A test run must not rewrite tracked files: screenshots go to .tap/ unless UPDATE_SCREENSHOTS=1 asks for the
// README's copies in docs/screenshots/ to be refreshed.
const screenshots = join(PACKAGE_ROOT, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.tap/screenshots')
// Chromium on a closed network: no background connections, no sandbox (root in CI), no GPU.
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync']

if (!existsSync(executablePath) && process.env.CI === 'true') {
  t.fail(`${executablePath} is missing: under CI the browser test fails rather than skips (apt-get install chromium)`)
} else if (!existsSync(executablePath)) {
  t.plan(0, `${executablePath} is missing (apt-get install -y --no-install-recommends chromium)`) // a skip, as TAP says it
} else {
  t.test('Swagger UI: Authorize and "Try it out" run both dialects\' PUT against the real server', async (t) => {
    const databaseUrl = await testDatabaseUrl(t)
    const roamKey = await mint(databaseUrl, 'roam-key', 'create', '--account', 'acme')
    const login = await mint(databaseUrl, 'plaspy-user', 'create', '--account', 'acme', '--user', 'jane', '--email', 'jane@example.com')
    const { base } = await startServer(t, { DATABASE_URL: databaseUrl })

    // The users to update, created over HTTP as a client would.
    const roamUser = await postJson(`${base}/v1/api/user/`, { 'api-key': roamKey.api_key },
      { app_type: 1, device_token: 'your-device-token', description: 'device description', metadata: {} })
    const roamUserId: string = roamUser.data.user_id
    const { token } = await postJson(`${base}/api/Auth/Token`, {}, { userName: login.userName, apiKey: login.api_key })
    const plaspyUser = await postJson(`${base}/api/users`, { authorization: `Bearer ${token}` },
      { name: 'John Smith', email: 'john.smith@example.com', country: 'Argentina', timeZone: 'America/Argentina/Buenos_Aires' })

    const browser = await chromium.launch({ executablePath, args, headless: true })
    t.teardown(() => browser.close())
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } })
    await page.goto(`${base}/docs`)
    await page.locator('.opblock-tag-section').first().waitFor()
    await mkdir(screenshots, { recursive: true })

    const tags = await page.locator('.opblock-tag').allInnerTexts()
    for (const tag of ['Roam users', 'Roam groups', 'Plaspy auth', 'Plaspy users', 'Operations']) {
      t.ok(tags.some((text) => text.startsWith(tag)), `tag "${tag}" groups its operations`)
    }
    await page.screenshot({ path: join(screenshots, 'swagger-ui.png') })

    t.test('Roam: Authorize with the Api-Key, PUT /v1/api/user/ answers 200', async (t) => {
      await authorize(page, 'RoamApiKey', roamKey.api_key)
      const operation = await open(page, 'roamUpdateUser')
      const body = operation.locator('textarea.body-param__text')
      t.match(await body.inputValue(), /"description": "ROAM111"/, 'the vendor\'s sample is pre-filled')
      await body.fill(JSON.stringify({ user_id: roamUserId, description: 'ROAM111', metadata: { name: 'ROAM123' }, geofence_events: false }, null, 2))
      const { status, text } = await execute(operation)
      t.equal(status, '200')
      t.match(JSON.parse(text), { status: true, code: 200, data: { id: roamUserId, description: 'ROAM111', metadata: { name: 'ROAM123' } } })
      await screenshotUntilResponse(page, operation, join(screenshots, 'roam-put-200.png'))
    })

    t.test('Plaspy: Authorize with the bearer token, PUT /api/users/{userId} answers 200', async (t) => {
      await authorize(page, 'PlaspyBearer', token)
      const operation = await open(page, 'plaspyUpdateUser')
      await operation.locator('tr[data-param-name="userId"] input').fill(plaspyUser.id)
      t.match(await operation.locator('textarea.body-param__text').inputValue(), /"name": "Jane Doe"/, 'the vendor\'s sample is pre-filled')
      const { status, text } = await execute(operation)
      t.equal(status, '200')
      t.match(JSON.parse(text), { success: true, id: plaspyUser.id, name: 'Jane Doe', timeZone: 'America/Los_Angeles', password: null })
      await screenshotUntilResponse(page, operation, join(screenshots, 'plaspy-put-200.png'))
    })
  })
}

async function postJson (url: string, headers: Record<string, string>, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`)
  return response.json()
}

/** The Authorize dialog, as a person fills it: the scheme's field, its Authorize button, Close. */
async function authorize (page: Page, scheme: string, secret: string): Promise<void> {
  await page.locator('button.authorize:not(.modal-btn)').click()
  const container = page.locator('.auth-container').filter({ hasText: scheme })
  await container.locator('input').fill(secret)
  await container.locator('button.authorize').click()
  await container.locator('button', { hasText: 'Logout' }).waitFor() // Swagger UI's sign that it took the value
  await page.locator('.modal-ux button.close-modal').click()
}

/** Expands an operation (by operationId) and switches it to "Try it out" if it is not already. */
async function open (page: Page, operationId: string) {
  const operation = page.locator(`.opblock[id$="-${operationId}"]`)
  await operation.locator('.opblock-summary').first().click()
  const tryOut = operation.locator('button.try-out__btn')
  if (await tryOut.count() > 0 && /try it out/i.test(await tryOut.innerText())) await tryOut.click()
  await operation.locator('button.execute').waitFor()
  return operation
}

/** The operation from its summary down to the live response, not the documentation of every status below it. */
async function screenshotUntilResponse (page: Page, operation: ReturnType<Page['locator']>, path: string): Promise<void> {
  // Page coordinates (boundingBox() is relative to the viewport, a full-page clip is not).
  // Runs in the page; this project compiles without the DOM's types.
  const onPage = (element: any) => {
    const box = element.getBoundingClientRect()
    const view = globalThis as any
    return { x: box.x + view.scrollX, y: box.y + view.scrollY, width: box.width as number, height: box.height as number }
  }
  const top = await operation.evaluate(onPage)
  const bottom = await operation.locator('.live-responses-table').first().evaluate(onPage)
  await page.screenshot({ path, fullPage: true, clip: { x: top.x, y: top.y, width: top.width, height: bottom.y + bottom.height - top.y } })
}

async function execute (operation: ReturnType<Page['locator']>): Promise<{ status: string, text: string }> {
  await operation.locator('button.execute').click()
  const row = operation.locator('.live-responses-table tbody .response').first()
  await row.waitFor()
  const status = (await row.locator('.response-col_status').innerText()).trim()
  const text = await row.locator('.response-col_description pre.microlight, .response-col_description pre').first().innerText()
  return { status, text }
}
