// The SELECT list both providers' statements share (sql.sqlite.ts, sql.postgres.ts).

/** The columns of roam_users under the model's field names, as Prisma's `RoamUser` has them. */
export const ROAM_USER = `id, project_id AS "projectId", app_type AS "appType", device_token AS "deviceToken",
  device_uuid AS "deviceUuid", description, brand, model, os_version AS "osVersion", sdk_version AS "sdkVersion",
  device_arn AS "deviceArn", group_id AS "groupId", geofence_events AS "geofenceEvents", motion_events AS "motionEvents",
  location_events AS "locationEvents", trips_events AS "tripsEvents", nearby_events AS "nearbyEvents",
  location_listener AS "locationListener", event_listener AS "eventListener", metadata, is_deleted AS "isDeleted",
  created_at AS "createdAt", updated_at AS "updatedAt", version`
