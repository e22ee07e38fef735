// Database rows -> Roam's wire format: snake_case, 24-hex ids, timestamps without a zone suffix.
import type { RoamCreatedUser, RoamGroup, RoamUser, RoamUserList, RoamUserListItem } from '../../generated/schemas.js'
import type { RoamGroupRow } from './groups.js'
import { pagination } from './list.js'
import type { RoamUserRow, UserPage } from './users.js'

/** `2021-06-03T17:13:58.830`: UTC, milliseconds, no zone suffix. */
export function roamTimestamp (date: Date): string {
  return date.toISOString().slice(0, 23)
}

function appId (user: RoamUserRow): string {
  return `${user.projectId}_${user.appType}`
}

function flags (user: RoamUserRow) {
  return {
    geofence_events: user.geofenceEvents,
    motion_events: user.motionEvents,
    location_events: user.locationEvents,
    trips_events: user.tripsEvents,
    nearby_events: user.nearbyEvents,
    location_listener: user.locationListener,
    event_listener: user.eventListener
  }
}

export function toRoamUser (user: RoamUserRow, accountId: string): RoamUser {
  return {
    id: user.id,
    account_id: accountId,
    app_id: appId(user),
    device_token: user.deviceToken,
    device_uuid: user.deviceUuid,
    description: user.description,
    brand: user.brand,
    model: user.model,
    group_id: user.groupId,
    os_version: user.osVersion,
    sdk_version: user.sdkVersion,
    device_arn: user.deviceArn,
    ...flags(user),
    metadata: metadataOf(user),
    is_deleted: user.isDeleted,
    created_at: roamTimestamp(user.createdAt),
    updated_at: roamTimestamp(user.updatedAt)
  }
}

/** Create User answers the new id as `user_id`, the project and account, and no motion flag or timestamps. */
export function toCreatedUser (user: RoamUserRow, accountId: string): RoamCreatedUser {
  const { motion_events: _motion, ...documentedFlags } = flags(user)
  return {
    user_id: user.id,
    app_id: appId(user),
    description: user.description,
    ...documentedFlags,
    metadata: metadataOf(user),
    sdk_version: user.sdkVersion,
    project_id: user.projectId,
    account_id: accountId
  }
}

/** Get Users' wrapper: page numbers, the account, and the users with timestamps as `wallTime` renders them. */
export function toUserList ({ users, total, page }: UserPage, accountId: string, wallTime: (instant: Date) => string): RoamUserList {
  return {
    ...pagination(total, page),
    account_id: accountId,
    users: users.map((user) => toListItem(user, wallTime))
  }
}

// No locations are stored here: the vendor renders a user without one as `{}` (its v3 example), which clients
// can read `.coordinates` of without throwing.
const noLocation = (): RoamUserListItem['last_location_update'] => ({})

/** A listed user has the vendor's 19 keys: no account, group, metadata or updated_at; `device_uuid` only when known. */
function toListItem (user: RoamUserRow, wallTime: (instant: Date) => string): RoamUserListItem {
  return {
    id: user.id,
    app_id: appId(user),
    device_token: user.deviceToken,
    ...(user.deviceUuid === null ? {} : { device_uuid: user.deviceUuid }),
    description: user.description,
    brand: user.brand,
    model: user.model,
    os_version: user.osVersion,
    sdk_version: user.sdkVersion,
    device_arn: user.deviceArn,
    ...flags(user),
    is_deleted: user.isDeleted,
    created_at: wallTime(user.createdAt),
    last_location_update: noLocation()
  }
}

export function toRoamGroup (group: RoamGroupRow): RoamGroup {
  return {
    group_id: group.id,
    project_id: group.projectId,
    description: group.description,
    updated_at: roamTimestamp(group.updatedAt),
    created_at: roamTimestamp(group.createdAt)
  }
}

// TypeBox infers `type: [object, null]` as the object alone; the schema itself allows null.
function metadataOf (user: RoamUserRow): RoamUser['metadata'] {
  return (user.metadata ?? null) as RoamUser['metadata']
}
