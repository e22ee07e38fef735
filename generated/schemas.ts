// Generated from openapi.yaml by scripts/generate.ts — do not edit.

import type { Static } from 'typebox'

export const AdminPlaspyLoginRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['account', 'userName', 'email'],
  properties: {
    account: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'The account\'s name (created if new).'
    },
    userName: { type: 'string', minLength: 1, maxLength: 100 },
    email: { type: 'string', format: 'email', maxLength: 254 },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'Display name; unset: the userName.'
    },
    country: {
      type: 'string',
      maxLength: 100,
      description: 'An ISO 3166 country (`GET /api/users/countries`); unset: US.'
    },
    timeZone: {
      type: 'string',
      maxLength: 100,
      description: 'An IANA time zone (`GET /api/users/timeZones`); unset: UTC.'
    }
  }
} as const
export type AdminPlaspyLoginRequest = Static<typeof AdminPlaspyLoginRequest>

export const AdminSeedCounts = {
  type: 'object',
  additionalProperties: false,
  description: 'How many rows of each kind were added.',
  required: [
    'roamAccounts',
    'roamProjects',
    'roamApiKeys',
    'roamGroups',
    'roamUsers',
    'plaspyAccounts',
    'plaspyUsers',
    'plaspyApiKeys'
  ],
  properties: {
    roamAccounts: { type: 'integer', minimum: 0 },
    roamProjects: { type: 'integer', minimum: 0 },
    roamApiKeys: { type: 'integer', minimum: 0 },
    roamGroups: { type: 'integer', minimum: 0 },
    roamUsers: { type: 'integer', minimum: 0 },
    plaspyAccounts: { type: 'integer', minimum: 0 },
    plaspyUsers: { type: 'integer', minimum: 0 },
    plaspyApiKeys: { type: 'integer', minimum: 0 }
  }
} as const
export type AdminSeedCounts = Static<typeof AdminSeedCounts>

export const AdminResetDone = {
  type: 'object',
  additionalProperties: false,
  required: ['reset'],
  properties: { reset: { type: 'boolean', const: true }, added: AdminSeedCounts }
} as const
export type AdminResetDone = Static<typeof AdminResetDone>

export const AdminRoamKeyRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['account'],
  properties: {
    account: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'The account\'s name (created if new).'
    },
    project_id: {
      type: 'string',
      pattern: '^[0-9a-f]{24}$',
      description: 'One of the account\'s projects; unset: a new project.'
    }
  }
} as const
export type AdminRoamKeyRequest = Static<typeof AdminRoamKeyRequest>

export const FixtureDocument = {
  type: 'object',
  additionalProperties: false,
  description: 'A fixture document: Roam accounts, their projects (with API keys of the document\'s choosing), groups and\nusers; Plaspy accounts and their users (with `userName` and `apiKey` of its choosing). Its whole schema is\n`fixtures/seed.schema.json`, checked by the operation (400 naming each problem\'s path).\n',
  properties: { roam: { type: 'object' }, plaspy: { type: 'object' } }
} as const
export type FixtureDocument = Static<typeof FixtureDocument>

export const HealthResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', const: 'ok' } }
} as const
export type HealthResponse = Static<typeof HealthResponse>

export const MintedPlaspyLogin = {
  type: 'object',
  additionalProperties: false,
  required: ['user_id', 'userName', 'api_key'],
  properties: {
    user_id: { type: 'string' },
    userName: { type: 'string' },
    api_key: {
      type: 'string',
      description: 'The key, for `POST /api/Auth/Token`: answered this once.'
    }
  }
} as const
export type MintedPlaspyLogin = Static<typeof MintedPlaspyLogin>

export const MintedRoamKey = {
  type: 'object',
  additionalProperties: false,
  required: ['account_id', 'project_id', 'key_id', 'api_key'],
  properties: {
    account_id: { type: 'string' },
    project_id: { type: 'string' },
    key_id: { type: 'string' },
    api_key: {
      type: 'string',
      description: 'The key, for the `Api-Key` header: answered this once.'
    }
  }
} as const
export type MintedRoamKey = Static<typeof MintedRoamKey>

export const OperationsError = {
  type: 'object',
  additionalProperties: false,
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' }
  }
} as const
export type OperationsError = Static<typeof OperationsError>

export const PlaspyCountriesResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['success', 'apiUsage', 'apiDailyUsage', 'countries'],
  properties: {
    success: { type: 'boolean', const: true },
    apiUsage: { type: 'integer' },
    apiDailyUsage: { type: 'integer' },
    countries: { type: 'object', additionalProperties: { type: 'string' } }
  }
} as const
export type PlaspyCountriesResponse = Static<typeof PlaspyCountriesResponse>

export const PlaspyError = {
  type: 'object',
  additionalProperties: false,
  required: ['success', 'error'],
  properties: {
    success: { type: 'boolean', const: false },
    error: { type: 'string' },
    apiUsage: { type: 'integer', description: 'Present once the request is authenticated.' },
    apiDailyUsage: { type: 'integer', description: 'Present once the request is authenticated.' }
  }
} as const
export type PlaspyError = Static<typeof PlaspyError>

export const PlaspyJsonPatch = {
  type: 'array',
  description: 'RFC 6902 operations.',
  minItems: 1,
  maxItems: 100,
  items: {
    type: 'object',
    required: ['op', 'path'],
    properties: {
      op: { type: 'string', enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
      path: { type: 'string', maxLength: 256 },
      from: { type: 'string', maxLength: 256 },
      value: {}
    }
  }
} as const
export type PlaspyJsonPatch = Static<typeof PlaspyJsonPatch>

export const PlaspyPrivilege = { type: 'string', enum: ['read', 'write', 'execute'] } as const
export type PlaspyPrivilege = Static<typeof PlaspyPrivilege>

export const PlaspyTags = {
  type: ['object', 'null'],
  description: 'String-to-string map, at most 50 keys of up to 64 characters, values up to 256 characters.',
  maxProperties: 50,
  propertyNames: { maxLength: 64 },
  additionalProperties: { type: 'string', maxLength: 256 },
  examples: [{ role: 'user', department: 'marketing' }]
} as const
export type PlaspyTags = Static<typeof PlaspyTags>

export const PlaspyTimeZonesResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['success', 'apiUsage', 'apiDailyUsage', 'timeZones'],
  properties: {
    success: { type: 'boolean', const: true },
    apiUsage: { type: 'integer' },
    apiDailyUsage: { type: 'integer' },
    timeZones: { type: 'object', additionalProperties: { type: 'string' } }
  }
} as const
export type PlaspyTimeZonesResponse = Static<typeof PlaspyTimeZonesResponse>

export const PlaspyTimestamp = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 in UTC with `Z`, second precision in answers. Every `date-time` this server takes must be an\ninstant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z once normalised to UTC; year 0000, a leap\nsecond (`…T23:59:60Z`) and instants past year 9999 (`9999-12-31T23:59:59-23:59`) answer 400.\n',
  examples: ['2023-01-01T00:00:00Z']
} as const
export type PlaspyTimestamp = Static<typeof PlaspyTimestamp>

export const PlaspyTokenRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['userName', 'apiKey'],
  properties: {
    userName: {
      type: 'string',
      minLength: 1,
      maxLength: 254,
      description: 'The user\'s login name, or the user\'s email.'
    },
    apiKey: { type: 'string', minLength: 1, maxLength: 256 }
  }
} as const
export type PlaspyTokenRequest = Static<typeof PlaspyTokenRequest>

export const PlaspyTokenResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['success', 'token', 'expires'],
  properties: {
    success: { type: 'boolean', const: true },
    token: { type: 'string' },
    expires: PlaspyTimestamp
  }
} as const
export type PlaspyTokenResponse = Static<typeof PlaspyTokenResponse>

export const PlaspyUsage = {
  type: 'object',
  additionalProperties: false,
  required: ['user_id', 'userName', 'apiUsage', 'apiDailyUsage'],
  properties: {
    user_id: { type: 'string' },
    userName: { type: 'string' },
    apiUsage: { type: 'integer', minimum: 0 },
    apiDailyUsage: { type: 'integer', minimum: 0 }
  }
} as const
export type PlaspyUsage = Static<typeof PlaspyUsage>

export const PlaspyUsageResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['success', 'apiUsage', 'apiDailyUsage'],
  properties: {
    success: { type: 'boolean', const: true },
    apiUsage: { type: 'integer' },
    apiDailyUsage: { type: 'integer' }
  }
} as const
export type PlaspyUsageResponse = Static<typeof PlaspyUsageResponse>

export const PlaspyUser = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'email',
    'country',
    'timeZone',
    'description',
    'message',
    'disabled',
    'disabledMessage',
    'tags',
    'privileges',
    'group',
    'deviceId',
    'adminDevices',
    'from',
    'expires',
    'password',
    'creation',
    'modification',
    'lastLogin'
  ],
  properties: {
    id: { type: 'string', examples: ['usr-5f2a9c1e7b3d4a60'] },
    name: { type: 'string' },
    email: { type: 'string' },
    country: { type: 'string' },
    timeZone: { type: 'string' },
    description: { type: ['string', 'null'] },
    message: { type: ['string', 'null'] },
    disabled: { type: 'boolean' },
    disabledMessage: { type: ['string', 'null'] },
    tags: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
    privileges: { type: 'array', items: PlaspyPrivilege },
    group: { type: ['string', 'null'] },
    deviceId: { type: ['string', 'null'] },
    adminDevices: { type: ['integer', 'null'] },
    from: { type: ['string', 'null'], format: 'date-time' },
    expires: { type: ['string', 'null'], format: 'date-time' },
    password: { type: 'null', description: 'Never answered.' },
    creation: PlaspyTimestamp,
    modification: PlaspyTimestamp,
    lastLogin: { type: ['string', 'null'], format: 'date-time' }
  }
} as const
export type PlaspyUser = Static<typeof PlaspyUser>

export const PlaspyUserInput = {
  type: 'object',
  description: 'The writable user. Unknown fields (`id`, `success`, `apiUsage`, …) are ignored, so a client may send back\na user it read. `creation`, `modification` and `lastLogin` are accepted for compatibility and ignored.\n',
  additionalProperties: false,
  required: ['name', 'email', 'country', 'timeZone'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    email: { type: 'string', format: 'email', maxLength: 254 },
    country: {
      type: 'string',
      minLength: 2,
      maxLength: 64,
      description: 'An ISO 3166-1 country as alpha-2 (`US`), alpha-3 (`USA`) or English name (`Argentina`, or any name\n`GET /api/users/countries` lists); answered as sent.\n'
    },
    timeZone: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'An IANA time zone, one of `GET /api/users/timeZones` or an alias of one (`Asia/Calcutta`).'
    },
    description: { type: ['string', 'null'], maxLength: 1000 },
    message: { type: ['string', 'null'], maxLength: 1000 },
    disabled: { type: 'boolean' },
    disabledMessage: { type: ['string', 'null'], maxLength: 1000 },
    tags: PlaspyTags,
    privileges: { type: 'array', maxItems: 3, uniqueItems: true, items: PlaspyPrivilege },
    group: { type: ['string', 'null'], maxLength: 100 },
    deviceId: { type: ['string', 'null'], maxLength: 100 },
    adminDevices: { type: ['integer', 'null'], minimum: 0, maximum: 1000000 },
    from: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Start of the user\'s validity.'
    },
    expires: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'End of the user\'s validity.'
    },
    password: {
      type: ['string', 'null'],
      minLength: 8,
      maxLength: 128,
      description: 'Stored only as an argon2id hash; always answered as `null`.'
    },
    creation: { type: ['string', 'null'], description: 'Ignored (server-owned).' },
    modification: { type: ['string', 'null'], description: 'Ignored (server-owned).' },
    lastLogin: { type: ['string', 'null'], description: 'Ignored (server-owned).' }
  }
} as const
export type PlaspyUserInput = Static<typeof PlaspyUserInput>

export const PlaspyUserListResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['success', 'apiUsage', 'apiDailyUsage', 'users'],
  properties: {
    success: { type: 'boolean', const: true },
    apiUsage: { type: 'integer' },
    apiDailyUsage: { type: 'integer' },
    users: { type: 'array', items: PlaspyUser }
  }
} as const
export type PlaspyUserListResponse = Static<typeof PlaspyUserListResponse>

export const PlaspyUserResponse = {
  type: 'object',
  additionalProperties: false,
  description: 'The user flattened beside the envelope\'s fields.',
  required: [
    'success',
    'apiUsage',
    'apiDailyUsage',
    'id',
    'name',
    'email',
    'country',
    'timeZone',
    'description',
    'message',
    'disabled',
    'disabledMessage',
    'tags',
    'privileges',
    'group',
    'deviceId',
    'adminDevices',
    'from',
    'expires',
    'password',
    'creation',
    'modification',
    'lastLogin'
  ],
  properties: {
    success: { type: 'boolean', const: true },
    apiUsage: {
      type: 'integer',
      description: 'Authenticated requests of the token\'s user in total, this one included.'
    },
    apiDailyUsage: { type: 'integer', description: 'The same, today (UTC).' },
    id: { type: 'string', examples: ['usr-5f2a9c1e7b3d4a60'] },
    name: { type: 'string' },
    email: { type: 'string' },
    country: { type: 'string' },
    timeZone: { type: 'string' },
    description: { type: ['string', 'null'] },
    message: { type: ['string', 'null'] },
    disabled: { type: 'boolean' },
    disabledMessage: { type: ['string', 'null'] },
    tags: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
    privileges: { type: 'array', items: PlaspyPrivilege },
    group: { type: ['string', 'null'] },
    deviceId: { type: ['string', 'null'] },
    adminDevices: { type: ['integer', 'null'] },
    from: { type: ['string', 'null'], format: 'date-time' },
    expires: { type: ['string', 'null'], format: 'date-time' },
    password: { type: 'null', description: 'Never answered.' },
    creation: PlaspyTimestamp,
    modification: PlaspyTimestamp,
    lastLogin: { type: ['string', 'null'], format: 'date-time' }
  }
} as const
export type PlaspyUserResponse = Static<typeof PlaspyUserResponse>

export const ReadinessResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'database'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    database: {
      type: 'string',
      enum: ['ok', 'unreachable', 'unwritable'],
      description: '`unwritable`: a write failed for want of storage (disk full, read-only database) within the last 5 seconds.'
    },
    migrations: {
      type: 'object',
      additionalProperties: false,
      required: ['applied', 'expected', 'pending'],
      properties: {
        applied: {
          type: 'integer',
          description: 'Migrations of this provider recorded as applied.'
        },
        expected: { type: 'integer', description: 'Migrations in prisma/migrations/<provider>.' },
        pending: {
          type: 'array',
          items: { type: 'string' },
          description: 'Migrations not applied yet.'
        }
      }
    }
  }
} as const
export type ReadinessResponse = Static<typeof ReadinessResponse>

export const RevokedPlaspyKeys = {
  type: 'object',
  additionalProperties: false,
  required: ['user_id', 'userName', 'revoked_keys'],
  properties: {
    user_id: { type: 'string' },
    userName: { type: 'string' },
    revoked_keys: { type: 'integer', minimum: 0 }
  }
} as const
export type RevokedPlaspyKeys = Static<typeof RevokedPlaspyKeys>

export const RoamObjectId = {
  type: 'string',
  description: 'A 24-hex ObjectId.',
  pattern: '^[0-9a-f]{24}$',
  examples: ['60b90dd651efb070950db2e9']
} as const
export type RoamObjectId = Static<typeof RoamObjectId>

export const RoamAddUsersToGroupRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['group_id', 'users'],
  properties: {
    group_id: RoamObjectId,
    users: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: RoamObjectId }
  }
} as const
export type RoamAddUsersToGroupRequest = Static<typeof RoamAddUsersToGroupRequest>

export const RoamAppId = {
  type: 'string',
  description: '`<project_id>_<app_type>`: `_1` Android, `_2` iOS.',
  pattern: '^[0-9a-f]{24}_[12]$',
  examples: ['60af306a8ce7db2392eb7a75_1']
} as const
export type RoamAppId = Static<typeof RoamAppId>

export const RoamDescription = { type: ['string', 'null'], maxLength: 1000 } as const
export type RoamDescription = Static<typeof RoamDescription>

export const RoamCreateGroupRequest = {
  type: 'object',
  additionalProperties: false,
  properties: { description: RoamDescription }
} as const
export type RoamCreateGroupRequest = Static<typeof RoamCreateGroupRequest>

export const RoamTimestamp = {
  type: 'string',
  description: 'UTC (or the requested `timezone_offset`) with milliseconds and no zone suffix.',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}$',
  examples: ['2021-06-03T17:13:58.830']
} as const
export type RoamTimestamp = Static<typeof RoamTimestamp>

export const RoamGroup = {
  type: 'object',
  additionalProperties: false,
  required: ['group_id', 'project_id', 'description', 'updated_at', 'created_at'],
  properties: {
    group_id: RoamObjectId,
    project_id: RoamObjectId,
    description: { type: ['string', 'null'] },
    updated_at: RoamTimestamp,
    created_at: RoamTimestamp
  }
} as const
export type RoamGroup = Static<typeof RoamGroup>

export const RoamCreateGroupResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'msg', 'code', 'data'],
  properties: {
    status: { type: 'boolean', const: true },
    msg: { type: 'string', examples: ['Success.'] },
    code: { type: 'integer', const: 201 },
    data: RoamGroup
  }
} as const
export type RoamCreateGroupResponse = Static<typeof RoamCreateGroupResponse>

export const RoamMetadata = {
  type: ['object', 'null'],
  description: 'Flat key-value pairs (at most 50 keys of up to 64 characters; values are strings of up to 1000\ncharacters, numbers, booleans or null). The vendor\'s table says "array" but its samples send objects.\n',
  maxProperties: 50,
  propertyNames: { maxLength: 64 },
  additionalProperties: { type: ['string', 'number', 'boolean', 'null'], maxLength: 1000 },
  examples: [{ name: 'ROAM123' }]
} as const
export type RoamMetadata = Static<typeof RoamMetadata>

export const RoamCreateUserRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['app_type', 'device_token'],
  properties: {
    app_type: { type: 'integer', enum: [1, 2], description: '1 Android, 2 iOS.' },
    device_token: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      description: 'The device\'s push token; may be a dummy value at first.'
    },
    description: RoamDescription,
    metadata: RoamMetadata
  }
} as const
export type RoamCreateUserRequest = Static<typeof RoamCreateUserRequest>

export const RoamCreatedUser = {
  type: 'object',
  additionalProperties: false,
  required: [
    'user_id',
    'app_id',
    'description',
    'geofence_events',
    'location_events',
    'trips_events',
    'nearby_events',
    'location_listener',
    'event_listener',
    'metadata',
    'sdk_version',
    'project_id',
    'account_id'
  ],
  properties: {
    user_id: RoamObjectId,
    app_id: RoamAppId,
    description: { type: ['string', 'null'] },
    geofence_events: { type: 'boolean' },
    location_events: { type: 'boolean' },
    trips_events: { type: 'boolean' },
    nearby_events: { type: 'boolean' },
    location_listener: { type: 'boolean' },
    event_listener: { type: 'boolean' },
    metadata: { type: ['object', 'null'], additionalProperties: true },
    sdk_version: { type: 'string' },
    project_id: RoamObjectId,
    account_id: RoamObjectId
  }
} as const
export type RoamCreatedUser = Static<typeof RoamCreatedUser>

export const RoamCreateUserResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'msg', 'code', 'data'],
  properties: {
    status: { type: 'boolean', const: true },
    msg: { type: 'string', examples: ['User tracking initiated successfully.'] },
    code: { type: 'integer', const: 201 },
    data: RoamCreatedUser
  }
} as const
export type RoamCreateUserResponse = Static<typeof RoamCreateUserResponse>

export const RoamDate = {
  type: 'string',
  description: 'A calendar day, `YYYY-MM-DD`, years 0001 to 9999; impossible days such as `2021-02-30` are refused.',
  format: 'date',
  examples: ['2021-06-01']
} as const
export type RoamDate = Static<typeof RoamDate>

export const RoamErrorDetail = {
  type: 'object',
  required: ['ErrorCode', 'ErrorMessage'],
  properties: {
    ErrorCode: {
      type: 'string',
      enum: ['GS400', 'GS401', 'GS402'],
      description: 'GS400 generic or not found, GS401 API key, GS402 validation.'
    },
    ErrorMessage: { type: 'string' },
    details: {
      description: 'A message, or DRF-style `{field: [message]}` for validation errors.',
      anyOf: [
        { type: 'string' },
        { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }
      ]
    }
  }
} as const
export type RoamErrorDetail = Static<typeof RoamErrorDetail>

export const RoamError = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'msg', 'code', 'error'],
  properties: {
    status: { type: 'boolean', const: false },
    msg: { type: 'string' },
    code: { type: 'integer', description: 'The HTTP status, repeated in the body.' },
    error: RoamErrorDetail
  }
} as const
export type RoamError = Static<typeof RoamError>

export const RoamKeySummary = {
  type: 'object',
  additionalProperties: false,
  required: ['key_id', 'project_id', 'hint', 'created_at', 'revoked_at'],
  properties: {
    key_id: { type: 'string' },
    project_id: { type: 'string' },
    hint: { type: 'string', description: 'The key\'s last four characters.' },
    created_at: { type: 'string', format: 'date-time' },
    revoked_at: { type: ['string', 'null'], format: 'date-time' }
  }
} as const
export type RoamKeySummary = Static<typeof RoamKeySummary>

export const RoamLocation = {
  type: 'object',
  additionalProperties: false,
  description: 'The user\'s last location. This server stores no locations, so it is always `{}`, as the vendor renders a user without one.',
  properties: {
    id: { type: 'string' },
    location_id: { type: 'string' },
    coordinates: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { type: 'string', const: 'Point' },
        coordinates: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 3 }
      }
    },
    speed: { type: 'number' },
    altitude: { type: 'number' },
    activity: { type: 'string' },
    recorded_at: RoamTimestamp,
    gps_status: { type: 'boolean' },
    battery_remaining: { type: 'integer' },
    app_context: { type: 'string' },
    horizontal_accuracy: { type: 'number' },
    vertical_accuracy: { type: 'number' },
    location_permission: { type: 'boolean' },
    course: { type: 'number' },
    source: { type: 'string' },
    created_at: RoamTimestamp
  }
} as const
export type RoamLocation = Static<typeof RoamLocation>

export const RoamMessageResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'msg', 'code', 'data'],
  properties: {
    status: { type: 'boolean', const: true },
    msg: { type: 'string', examples: ['Success.'] },
    code: { type: 'integer', enum: [200, 201] },
    data: { type: 'string', examples: ['Users grouped successfully.'] }
  }
} as const
export type RoamMessageResponse = Static<typeof RoamMessageResponse>

export const RoamUpdateUserRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['user_id'],
  properties: {
    user_id: RoamObjectId,
    description: RoamDescription,
    geofence_events: { type: 'boolean' },
    motion_events: { type: 'boolean' },
    location_events: { type: 'boolean' },
    trips_events: { type: 'boolean' },
    nearby_events: { type: 'boolean' },
    location_listener: { type: 'boolean' },
    event_listener: { type: 'boolean' },
    metadata: RoamMetadata
  }
} as const
export type RoamUpdateUserRequest = Static<typeof RoamUpdateUserRequest>

export const RoamUser = {
  type: 'object',
  additionalProperties: false,
  description: 'The whole user, as answered by Update User.',
  required: [
    'id',
    'account_id',
    'app_id',
    'device_token',
    'device_uuid',
    'description',
    'brand',
    'model',
    'group_id',
    'os_version',
    'sdk_version',
    'device_arn',
    'geofence_events',
    'motion_events',
    'location_events',
    'trips_events',
    'nearby_events',
    'location_listener',
    'event_listener',
    'metadata',
    'is_deleted',
    'created_at',
    'updated_at'
  ],
  properties: {
    id: RoamObjectId,
    account_id: RoamObjectId,
    app_id: RoamAppId,
    device_token: { type: 'string' },
    device_uuid: { type: ['string', 'null'] },
    description: { type: ['string', 'null'] },
    brand: { type: ['string', 'null'] },
    model: { type: ['string', 'null'] },
    group_id: { type: ['string', 'null'] },
    os_version: { type: ['string', 'null'] },
    sdk_version: { type: 'string' },
    device_arn: { type: ['string', 'null'] },
    geofence_events: { type: 'boolean' },
    motion_events: { type: 'boolean' },
    location_events: { type: 'boolean' },
    trips_events: { type: 'boolean' },
    nearby_events: { type: 'boolean' },
    location_listener: { type: 'boolean' },
    event_listener: { type: 'boolean' },
    metadata: { type: ['object', 'null'], additionalProperties: true },
    is_deleted: { type: 'boolean' },
    created_at: RoamTimestamp,
    updated_at: RoamTimestamp
  }
} as const
export type RoamUser = Static<typeof RoamUser>

export const RoamUserListItem = {
  type: 'object',
  additionalProperties: false,
  description: 'A user as listed by Get Users (the vendor\'s 19 keys; `device_uuid` only when known).',
  required: [
    'id',
    'app_id',
    'device_token',
    'description',
    'brand',
    'model',
    'os_version',
    'sdk_version',
    'device_arn',
    'geofence_events',
    'motion_events',
    'location_events',
    'trips_events',
    'nearby_events',
    'location_listener',
    'event_listener',
    'is_deleted',
    'created_at',
    'last_location_update'
  ],
  properties: {
    id: RoamObjectId,
    app_id: RoamAppId,
    device_token: { type: 'string' },
    device_uuid: { type: 'string' },
    description: { type: ['string', 'null'] },
    brand: { type: ['string', 'null'] },
    model: { type: ['string', 'null'] },
    os_version: { type: ['string', 'null'] },
    sdk_version: { type: 'string' },
    device_arn: { type: ['string', 'null'] },
    geofence_events: { type: 'boolean' },
    motion_events: { type: 'boolean' },
    location_events: { type: 'boolean' },
    trips_events: { type: 'boolean' },
    nearby_events: { type: 'boolean' },
    location_listener: { type: 'boolean' },
    event_listener: { type: 'boolean' },
    is_deleted: { type: 'boolean' },
    created_at: RoamTimestamp,
    last_location_update: RoamLocation
  }
} as const
export type RoamUserListItem = Static<typeof RoamUserListItem>

export const RoamUserList = {
  type: 'object',
  additionalProperties: false,
  required: ['next_page', 'pages', 'prev_page', 'account_id', 'users'],
  properties: {
    next_page: { type: ['integer', 'null'] },
    pages: { type: 'integer', minimum: 0 },
    prev_page: { type: ['integer', 'null'] },
    account_id: RoamObjectId,
    users: { type: 'array', maxItems: 10, items: RoamUserListItem }
  }
} as const
export type RoamUserList = Static<typeof RoamUserList>

export const RoamUserListResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'msg', 'code', 'data'],
  properties: {
    status: { type: 'boolean', const: true },
    msg: { type: 'string', examples: ['Success.'] },
    code: { type: 'integer', const: 200 },
    data: RoamUserList
  }
} as const
export type RoamUserListResponse = Static<typeof RoamUserListResponse>

export const RoamUserResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'msg', 'code', 'data'],
  properties: {
    status: { type: 'boolean', const: true },
    msg: { type: 'string', examples: ['Success.'] },
    code: { type: 'integer', const: 200 },
    data: RoamUser
  }
} as const
export type RoamUserResponse = Static<typeof RoamUserResponse>

export const operations = {
  roamCreateUser: {
    method: 'POST',
    url: '/v1/api/user/',
    config: { operationId: 'roamCreateUser', security: ['RoamApiKey'] },
    schema: {
      body: RoamCreateUserRequest,
      response: {
        '201': RoamCreateUserResponse,
        '400': RoamError,
        '401': RoamError,
        '413': RoamError,
        '414': RoamError,
        '415': RoamError,
        '429': RoamError,
        '431': RoamError,
        '500': RoamError,
        '503': RoamError
      }
    }
  },
  roamListUsers: {
    method: 'GET',
    url: '/v1/api/user/',
    config: { operationId: 'roamListUsers', security: ['RoamApiKey'] },
    schema: {
      querystring: {
        type: 'object',
        properties: {
          user_id: RoamObjectId,
          start_date: RoamDate,
          end_date: RoamDate,
          timezone_offset: {
            type: 'string',
            maxLength: 64,
            description: 'IANA time zone, e.g. `Asia/Kolkata`.'
          },
          page_number: {
            type: 'integer',
            minimum: 1,
            maximum: 1000000,
            description: '1-based page number, 10 users a page; 1 when omitted.'
          },
          group_id: RoamObjectId
        }
      },
      response: {
        '200': RoamUserListResponse,
        '400': RoamError,
        '401': RoamError,
        '414': RoamError,
        '429': RoamError,
        '431': RoamError,
        '500': RoamError,
        '503': RoamError
      }
    }
  },
  roamUpdateUser: {
    method: 'PUT',
    url: '/v1/api/user/',
    config: { operationId: 'roamUpdateUser', security: ['RoamApiKey'] },
    schema: {
      headers: {
        type: 'object',
        properties: {
          'if-match': {
            type: 'string',
            maxLength: 1024,
            pattern: '^[ \\t]*(?:\\*|(?:,[ \\t]*)*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*"(?:[ \\t]*,(?:[ \\t]*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*")?)*)[ \\t]*$',
            description: '**Extension: neither vendor has it; never required.** Makes the write conditional (RFC 9110 §13.1.1):\n`*`, or a comma-separated list of strong entity tags from `ETag`s this server answered. The write lands\nonly if the user\'s current version is one of them (compared and written in one statement); otherwise\n412 and nothing changes. A weak tag (`W/"3"`) never matches (strong comparison). An unknown or another\ntenant\'s user answers exactly as without the header. A value that is neither `*` nor a list of quoted\nentity tags is malformed and answers 400, like any invalid input.\n'
          }
        }
      },
      body: RoamUpdateUserRequest,
      response: {
        '200': RoamUserResponse,
        '400': RoamError,
        '401': RoamError,
        '412': RoamError,
        '413': RoamError,
        '414': RoamError,
        '415': RoamError,
        '429': RoamError,
        '431': RoamError,
        '500': RoamError,
        '503': RoamError
      }
    }
  },
  roamDeleteUser: {
    method: 'DELETE',
    url: '/v1/api/user/',
    config: { operationId: 'roamDeleteUser', security: ['RoamApiKey'] },
    schema: {
      querystring: { type: 'object', properties: { user_id: RoamObjectId }, required: ['user_id'] },
      headers: {
        type: 'object',
        properties: {
          'if-match': {
            type: 'string',
            maxLength: 1024,
            pattern: '^[ \\t]*(?:\\*|(?:,[ \\t]*)*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*"(?:[ \\t]*,(?:[ \\t]*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*")?)*)[ \\t]*$',
            description: '**Extension: neither vendor has it; never required.** Makes the write conditional (RFC 9110 §13.1.1):\n`*`, or a comma-separated list of strong entity tags from `ETag`s this server answered. The write lands\nonly if the user\'s current version is one of them (compared and written in one statement); otherwise\n412 and nothing changes. A weak tag (`W/"3"`) never matches (strong comparison). An unknown or another\ntenant\'s user answers exactly as without the header. A value that is neither `*` nor a list of quoted\nentity tags is malformed and answers 400, like any invalid input.\n'
          }
        }
      },
      response: {
        '200': RoamMessageResponse,
        '400': RoamError,
        '401': RoamError,
        '412': RoamError,
        '413': RoamError,
        '414': RoamError,
        '415': RoamError,
        '429': RoamError,
        '431': RoamError,
        '500': RoamError,
        '503': RoamError
      }
    }
  },
  roamCreateGroup: {
    method: 'POST',
    url: '/v1/api/group/',
    config: { operationId: 'roamCreateGroup', security: ['RoamApiKey'], bodyOptional: true },
    schema: {
      body: RoamCreateGroupRequest,
      response: {
        '201': RoamCreateGroupResponse,
        '400': RoamError,
        '401': RoamError,
        '413': RoamError,
        '414': RoamError,
        '415': RoamError,
        '429': RoamError,
        '431': RoamError,
        '500': RoamError,
        '503': RoamError
      }
    }
  },
  roamAddUsersToGroup: {
    method: 'POST',
    url: '/v1/api/group/user/',
    config: { operationId: 'roamAddUsersToGroup', security: ['RoamApiKey'] },
    schema: {
      body: RoamAddUsersToGroupRequest,
      response: {
        '201': RoamMessageResponse,
        '400': RoamError,
        '401': RoamError,
        '413': RoamError,
        '414': RoamError,
        '415': RoamError,
        '429': RoamError,
        '431': RoamError,
        '500': RoamError,
        '503': RoamError
      }
    }
  },
  plaspyCreateToken: {
    method: 'POST',
    url: '/api/Auth/Token',
    config: { operationId: 'plaspyCreateToken', security: [] },
    schema: {
      body: PlaspyTokenRequest,
      response: {
        '200': PlaspyTokenResponse,
        '400': PlaspyError,
        '401': PlaspyError,
        '413': PlaspyError,
        '414': PlaspyError,
        '415': PlaspyError,
        '429': PlaspyError,
        '431': PlaspyError,
        '500': PlaspyError,
        '503': PlaspyError
      }
    }
  },
  plaspyListUsers: {
    method: 'GET',
    url: '/api/users',
    config: { operationId: 'plaspyListUsers', security: ['PlaspyBearer'] },
    schema: {
      response: {
        '200': PlaspyUserListResponse,
        '401': PlaspyError,
        '403': PlaspyError,
        '414': PlaspyError,
        '429': PlaspyError,
        '431': PlaspyError,
        '500': PlaspyError,
        '503': PlaspyError
      }
    }
  },
  plaspyCreateUser: {
    method: 'POST',
    url: '/api/users',
    config: { operationId: 'plaspyCreateUser', security: ['PlaspyBearer'] },
    schema: {
      body: PlaspyUserInput,
      response: {
        '201': PlaspyUserResponse,
        '400': PlaspyError,
        '401': PlaspyError,
        '403': PlaspyError,
        '409': PlaspyError,
        '413': PlaspyError,
        '414': PlaspyError,
        '415': PlaspyError,
        '429': PlaspyError,
        '431': PlaspyError,
        '500': PlaspyError,
        '503': PlaspyError
      }
    }
  },
  plaspyListCountries: {
    method: 'GET',
    url: '/api/users/countries',
    config: { operationId: 'plaspyListCountries', security: ['PlaspyBearer'] },
    schema: {
      response: {
        '200': PlaspyCountriesResponse,
        '401': PlaspyError,
        '403': PlaspyError,
        '414': PlaspyError,
        '429': PlaspyError,
        '431': PlaspyError,
        '500': PlaspyError,
        '503': PlaspyError
      }
    }
  },
  plaspyListTimeZones: {
    method: 'GET',
    url: '/api/users/timeZones',
    config: { operationId: 'plaspyListTimeZones', security: ['PlaspyBearer'] },
    schema: {
      response: {
        '200': PlaspyTimeZonesResponse,
        '401': PlaspyError,
        '403': PlaspyError,
        '414': PlaspyError,
        '429': PlaspyError,
        '431': PlaspyError,
        '500': PlaspyError,
        '503': PlaspyError
      }
    }
  },
  plaspyGetUser: {
    method: 'GET',
    url: '/api/users/:userId',
    config: { operationId: 'plaspyGetUser', security: ['PlaspyBearer'] },
    schema: {
      params: {
        type: 'object',
        properties: {
          userId: {
            type: 'string',
            minLength: 1,
            maxLength: 64,
            description: 'The user\'s id, e.g. `usr-5f2a9c1e7b3d4a60`.'
          }
        },
        required: ['userId']
      },
      response: {
        '200': PlaspyUserResponse,
        '400': PlaspyError,
        '401': PlaspyError,
        '403': PlaspyError,
        '404': PlaspyError,
        '414': PlaspyError,
        '429': PlaspyError,
        '431': PlaspyError,
        '500': PlaspyError,
        '503': PlaspyError
      }
    }
  },
  plaspyUpdateUser: {
    method: 'PUT',
    url: '/api/users/:userId',
    config: { operationId: 'plaspyUpdateUser', security: ['PlaspyBearer'] },
    schema: {
      params: {
        type: 'object',
        properties: {
          userId: {
            type: 'string',
            minLength: 1,
            maxLength: 64,
            description: 'The user\'s id, e.g. `usr-5f2a9c1e7b3d4a60`.'
          }
        },
        required: ['userId']
      },
      headers: {
        type: 'object',
        properties: {
          'if-match': {
            type: 'string',
            maxLength: 1024,
            pattern: '^[ \\t]*(?:\\*|(?:,[ \\t]*)*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*"(?:[ \\t]*,(?:[ \\t]*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*")?)*)[ \\t]*$',
            description: '**Extension: neither vendor has it; never required.** Makes the write conditional (RFC 9110 §13.1.1):\n`*`, or a comma-separated list of strong entity tags from `ETag`s this server answered. The write lands\nonly if the user\'s current version is one of them (compared and written in one statement); otherwise\n412 and nothing changes. A weak tag (`W/"3"`) never matches (strong comparison). An unknown or another\ntenant\'s user answers exactly as without the header. A value that is neither `*` nor a list of quoted\nentity tags is malformed and answers 400, like any invalid input.\n'
          }
        }
      },
      body: PlaspyUserInput,
      response: {
        '200': PlaspyUserResponse,
        '400': PlaspyError,
        '401': PlaspyError,
        '403': PlaspyError,
        '404': PlaspyError,
        '409': PlaspyError,
        '412': PlaspyError,
        '413': PlaspyError,
        '414': PlaspyError,
        '415': PlaspyError,
        '429': PlaspyError,
        '431': PlaspyError,
        '500': PlaspyError,
        '503': PlaspyError
      }
    }
  },
  plaspyPatchUser: {
    method: 'PATCH',
    url: '/api/users/:userId',
    config: { operationId: 'plaspyPatchUser', security: ['PlaspyBearer'] },
    schema: {
      params: {
        type: 'object',
        properties: {
          userId: {
            type: 'string',
            minLength: 1,
            maxLength: 64,
            description: 'The user\'s id, e.g. `usr-5f2a9c1e7b3d4a60`.'
          }
        },
        required: ['userId']
      },
      headers: {
        type: 'object',
        properties: {
          'if-match': {
            type: 'string',
            maxLength: 1024,
            pattern: '^[ \\t]*(?:\\*|(?:,[ \\t]*)*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*"(?:[ \\t]*,(?:[ \\t]*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*")?)*)[ \\t]*$',
            description: '**Extension: neither vendor has it; never required.** Makes the write conditional (RFC 9110 §13.1.1):\n`*`, or a comma-separated list of strong entity tags from `ETag`s this server answered. The write lands\nonly if the user\'s current version is one of them (compared and written in one statement); otherwise\n412 and nothing changes. A weak tag (`W/"3"`) never matches (strong comparison). An unknown or another\ntenant\'s user answers exactly as without the header. A value that is neither `*` nor a list of quoted\nentity tags is malformed and answers 400, like any invalid input.\n'
          }
        }
      },
      body: PlaspyJsonPatch,
      response: {
        '200': PlaspyUserResponse,
        '400': PlaspyError,
        '401': PlaspyError,
        '403': PlaspyError,
        '404': PlaspyError,
        '409': PlaspyError,
        '412': PlaspyError,
        '413': PlaspyError,
        '414': PlaspyError,
        '415': PlaspyError,
        '429': PlaspyError,
        '431': PlaspyError,
        '500': PlaspyError,
        '503': PlaspyError
      }
    }
  },
  plaspyDeleteUser: {
    method: 'DELETE',
    url: '/api/users/:userId',
    config: { operationId: 'plaspyDeleteUser', security: ['PlaspyBearer'] },
    schema: {
      params: {
        type: 'object',
        properties: {
          userId: {
            type: 'string',
            minLength: 1,
            maxLength: 64,
            description: 'The user\'s id, e.g. `usr-5f2a9c1e7b3d4a60`.'
          }
        },
        required: ['userId']
      },
      headers: {
        type: 'object',
        properties: {
          'if-match': {
            type: 'string',
            maxLength: 1024,
            pattern: '^[ \\t]*(?:\\*|(?:,[ \\t]*)*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*"(?:[ \\t]*,(?:[ \\t]*(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*")?)*)[ \\t]*$',
            description: '**Extension: neither vendor has it; never required.** Makes the write conditional (RFC 9110 §13.1.1):\n`*`, or a comma-separated list of strong entity tags from `ETag`s this server answered. The write lands\nonly if the user\'s current version is one of them (compared and written in one statement); otherwise\n412 and nothing changes. A weak tag (`W/"3"`) never matches (strong comparison). An unknown or another\ntenant\'s user answers exactly as without the header. A value that is neither `*` nor a list of quoted\nentity tags is malformed and answers 400, like any invalid input.\n'
          }
        }
      },
      response: {
        '200': PlaspyUsageResponse,
        '400': PlaspyError,
        '401': PlaspyError,
        '403': PlaspyError,
        '404': PlaspyError,
        '412': PlaspyError,
        '413': PlaspyError,
        '414': PlaspyError,
        '415': PlaspyError,
        '429': PlaspyError,
        '431': PlaspyError,
        '500': PlaspyError,
        '503': PlaspyError
      }
    }
  },
  getRoot: {
    method: 'GET',
    url: '/',
    config: { operationId: 'getRoot', security: [] },
    schema: {
      response: {
        '302': { type: 'null' },
        '400': OperationsError,
        '414': OperationsError,
        '431': OperationsError
      }
    }
  },
  getHealth: {
    method: 'GET',
    url: '/healthz',
    config: { operationId: 'getHealth', security: [] },
    schema: {
      response: {
        '200': HealthResponse,
        '400': OperationsError,
        '414': OperationsError,
        '431': OperationsError
      }
    }
  },
  getReadiness: {
    method: 'GET',
    url: '/readyz',
    config: { operationId: 'getReadiness', security: [] },
    schema: {
      response: {
        '200': ReadinessResponse,
        '400': OperationsError,
        '414': OperationsError,
        '431': OperationsError,
        '503': ReadinessResponse
      }
    }
  },
  getMetrics: {
    method: 'GET',
    url: '/metrics',
    config: { operationId: 'getMetrics', security: [] },
    schema: {
      response: {
        '200': { type: 'string' },
        '400': OperationsError,
        '414': OperationsError,
        '431': OperationsError
      }
    }
  },
  adminSeed: {
    method: 'POST',
    url: '/admin/fixtures',
    config: { operationId: 'adminSeed', security: ['AdminToken'] },
    schema: {
      body: FixtureDocument,
      response: {
        '200': AdminSeedCounts,
        '400': OperationsError,
        '401': OperationsError,
        '404': OperationsError,
        '413': OperationsError,
        '414': OperationsError,
        '415': OperationsError,
        '429': OperationsError,
        '431': OperationsError,
        '500': OperationsError,
        '503': OperationsError
      }
    }
  },
  adminReset: {
    method: 'POST',
    url: '/admin/reset',
    config: { operationId: 'adminReset', security: ['AdminToken'], bodyOptional: true },
    schema: {
      body: FixtureDocument,
      response: {
        '200': AdminResetDone,
        '400': OperationsError,
        '401': OperationsError,
        '404': OperationsError,
        '413': OperationsError,
        '414': OperationsError,
        '415': OperationsError,
        '429': OperationsError,
        '431': OperationsError,
        '500': OperationsError,
        '503': OperationsError
      }
    }
  },
  adminCreateRoamKey: {
    method: 'POST',
    url: '/admin/roam/keys',
    config: { operationId: 'adminCreateRoamKey', security: ['AdminToken'] },
    schema: {
      body: AdminRoamKeyRequest,
      response: {
        '201': MintedRoamKey,
        '400': OperationsError,
        '401': OperationsError,
        '404': OperationsError,
        '413': OperationsError,
        '414': OperationsError,
        '415': OperationsError,
        '429': OperationsError,
        '431': OperationsError,
        '500': OperationsError,
        '503': OperationsError
      }
    }
  },
  adminListRoamKeys: {
    method: 'GET',
    url: '/admin/roam/accounts/:account/keys',
    config: { operationId: 'adminListRoamKeys', security: ['AdminToken'] },
    schema: {
      params: {
        type: 'object',
        properties: {
          account: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description: 'The account\'s name.'
          }
        },
        required: ['account']
      },
      response: {
        '200': { type: 'array', items: RoamKeySummary },
        '400': OperationsError,
        '401': OperationsError,
        '404': OperationsError,
        '414': OperationsError,
        '429': OperationsError,
        '431': OperationsError,
        '500': OperationsError,
        '503': OperationsError
      }
    }
  },
  adminRevokeRoamKey: {
    method: 'DELETE',
    url: '/admin/roam/keys/:keyId',
    config: { operationId: 'adminRevokeRoamKey', security: ['AdminToken'] },
    schema: {
      params: {
        type: 'object',
        properties: {
          keyId: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description: 'The key\'s id, as minting and listing answer it (`key-…`).'
          }
        },
        required: ['keyId']
      },
      response: {
        '200': RoamKeySummary,
        '400': OperationsError,
        '401': OperationsError,
        '404': OperationsError,
        '414': OperationsError,
        '429': OperationsError,
        '431': OperationsError,
        '500': OperationsError,
        '503': OperationsError
      }
    }
  },
  adminCreatePlaspyLogin: {
    method: 'POST',
    url: '/admin/plaspy/users',
    config: { operationId: 'adminCreatePlaspyLogin', security: ['AdminToken'] },
    schema: {
      body: AdminPlaspyLoginRequest,
      response: {
        '201': MintedPlaspyLogin,
        '400': OperationsError,
        '401': OperationsError,
        '404': OperationsError,
        '409': OperationsError,
        '413': OperationsError,
        '414': OperationsError,
        '415': OperationsError,
        '429': OperationsError,
        '431': OperationsError,
        '500': OperationsError,
        '503': OperationsError
      }
    }
  },
  adminRegeneratePlaspyKey: {
    method: 'POST',
    url: '/admin/plaspy/users/:userName/key',
    config: { operationId: 'adminRegeneratePlaspyKey', security: ['AdminToken'] },
    schema: {
      params: {
        type: 'object',
        properties: {
          userName: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description: 'The Plaspy user\'s login name (its `userName` at `POST /api/Auth/Token`).'
          }
        },
        required: ['userName']
      },
      response: {
        '200': MintedPlaspyLogin,
        '400': OperationsError,
        '401': OperationsError,
        '404': OperationsError,
        '414': OperationsError,
        '429': OperationsError,
        '431': OperationsError,
        '500': OperationsError,
        '503': OperationsError
      }
    }
  },
  adminRevokePlaspyKeys: {
    method: 'DELETE',
    url: '/admin/plaspy/users/:userName/key',
    config: { operationId: 'adminRevokePlaspyKeys', security: ['AdminToken'] },
    schema: {
      params: {
        type: 'object',
        properties: {
          userName: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description: 'The Plaspy user\'s login name (its `userName` at `POST /api/Auth/Token`).'
          }
        },
        required: ['userName']
      },
      response: {
        '200': RevokedPlaspyKeys,
        '400': OperationsError,
        '401': OperationsError,
        '404': OperationsError,
        '414': OperationsError,
        '429': OperationsError,
        '431': OperationsError,
        '500': OperationsError,
        '503': OperationsError
      }
    }
  },
  adminGetPlaspyUsage: {
    method: 'GET',
    url: '/admin/plaspy/users/:userName/usage',
    config: { operationId: 'adminGetPlaspyUsage', security: ['AdminToken'] },
    schema: {
      params: {
        type: 'object',
        properties: {
          userName: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description: 'The Plaspy user\'s login name (its `userName` at `POST /api/Auth/Token`).'
          }
        },
        required: ['userName']
      },
      response: {
        '200': PlaspyUsage,
        '400': OperationsError,
        '401': OperationsError,
        '404': OperationsError,
        '414': OperationsError,
        '429': OperationsError,
        '431': OperationsError,
        '500': OperationsError,
        '503': OperationsError
      }
    }
  }
} as const

export type OperationId = keyof typeof operations
