// A typed client for both dialects, over the paths of generated/openapi.ts: every path, parameter, body and
// answer (errors included) is checked by the compiler against openapi.yaml. Exported as `tracker-users/client`.
import createClient, { type ClientOptions, type Middleware } from 'openapi-fetch'
import type { paths } from '../generated/openapi.js'

export type { paths }

export interface TrackerCredentials {
  /** Sent as `Api-Key` on the Roam paths (`/v1/api/…`). */
  roamApiKey?: string
  /** Sent as `Authorization: Bearer …` on the Plaspy paths (`/api/…`); see `signInPlaspy`. */
  plaspyToken?: string
}

export type TrackerClient = ReturnType<typeof createClient<paths>>

/** A client for the server at `baseUrl` (e.g. `http://127.0.0.1:3000`), sending each dialect its own credential. */
export function createTrackerClient (baseUrl: string, credentials: TrackerCredentials = {}, options: Omit<ClientOptions, 'baseUrl'> = {}): TrackerClient {
  const client = createClient<paths>({ ...options, baseUrl })
  client.use(credentialHeaders(credentials))
  return client
}

/** Trades a Plaspy user name and API key for a token (POST /api/Auth/Token): a client that sends it. */
export async function signInPlaspy (
  baseUrl: string,
  login: { userName: string, apiKey: string },
  credentials: Omit<TrackerCredentials, 'plaspyToken'> = {},
  options: Omit<ClientOptions, 'baseUrl'> = {}
): Promise<TrackerClient> {
  const { data, error } = await createTrackerClient(baseUrl, {}, options).POST('/api/Auth/Token', { body: login })
  if (data === undefined) throw new Error(`Plaspy sign-in failed: ${error?.error ?? 'no token'}`)
  return createTrackerClient(baseUrl, { ...credentials, plaspyToken: data.token }, options)
}

/** Each dialect gets only its own credential: a Roam key never travels to a Plaspy path, nor the reverse. */
function credentialHeaders ({ roamApiKey, plaspyToken }: TrackerCredentials): Middleware {
  return {
    onRequest ({ request, schemaPath }) {
      if (schemaPath.startsWith('/v1/api/')) {
        if (roamApiKey !== undefined) request.headers.set('Api-Key', roamApiKey)
      } else if (schemaPath.startsWith('/api/') && schemaPath !== '/api/Auth/Token') {
        if (plaspyToken !== undefined) request.headers.set('Authorization', `Bearer ${plaspyToken}`)
      }
      return request
    }
  }
}
