// What the Roam tests share: the seed's sample request.

/** The seed's Update User request body (update-user-api.md), verbatim but for `user_id`, which the caller adds. */
export const vendorUpdate = {
  description: 'ROAM111',
  metadata: { name: 'ROAM123' },
  geofence_events: false,
  motion_events: false,
  location_events: false,
  trips_events: false,
  nearby_events: false,
  location_listener: false,
  event_listener: false
}
