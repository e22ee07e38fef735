import type { ColumnType } from "kysely";
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>
  ? ColumnType<S, I | undefined, U>
  : ColumnType<T, T | undefined, T>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type PlaspyAccount = {
    id: string;
    name: string;
    createdAt: Generated<Timestamp>;
};
export type PlaspyApiKey = {
    id: string;
    userId: string;
    keyHash: string;
    createdAt: Generated<Timestamp>;
    revokedAt: Timestamp | null;
};
export type PlaspyToken = {
    id: string;
    userId: string;
    apiKeyId: string;
    tokenHash: string;
    expiresAt: Timestamp;
    createdAt: Generated<Timestamp>;
};
export type PlaspyUsage = {
    userId: string;
    total: Generated<number>;
    day: string;
    daily: Generated<number>;
};
export type PlaspyUser = {
    id: string;
    accountId: string;
    userName: string | null;
    name: string;
    email: string;
    country: string;
    timeZone: string;
    description: string | null;
    message: string | null;
    disabled: Generated<boolean>;
    disabledMessage: string | null;
    tags: unknown | null;
    /**
     * @kyselyType(string[])
     */
    privileges: string[];
    groupName: string | null;
    deviceId: string | null;
    adminDevices: number | null;
    validFrom: Timestamp | null;
    validUntil: Timestamp | null;
    passwordHash: string | null;
    creation: Generated<Timestamp>;
    modification: Generated<Timestamp>;
    lastLogin: Timestamp | null;
    version: Generated<number>;
};
export type RoamAccount = {
    id: string;
    name: string;
    createdAt: Generated<Timestamp>;
};
export type RoamApiKey = {
    id: string;
    projectId: string;
    keyHash: string;
    hint: string;
    createdAt: Generated<Timestamp>;
    revokedAt: Timestamp | null;
};
export type RoamGroup = {
    id: string;
    projectId: string;
    description: string | null;
    createdAt: Generated<Timestamp>;
    updatedAt: Generated<Timestamp>;
};
export type RoamProject = {
    id: string;
    accountId: string;
    createdAt: Generated<Timestamp>;
};
export type RoamUser = {
    id: string;
    projectId: string;
    appType: number;
    deviceToken: string;
    deviceUuid: string | null;
    description: string | null;
    brand: string | null;
    model: string | null;
    osVersion: string | null;
    sdkVersion: Generated<string>;
    deviceArn: string | null;
    groupId: string | null;
    geofenceEvents: Generated<boolean>;
    motionEvents: Generated<boolean>;
    locationEvents: Generated<boolean>;
    tripsEvents: Generated<boolean>;
    nearbyEvents: Generated<boolean>;
    locationListener: Generated<boolean>;
    eventListener: Generated<boolean>;
    metadata: unknown | null;
    isDeleted: Generated<boolean>;
    createdAt: Generated<Timestamp>;
    updatedAt: Generated<Timestamp>;
    version: Generated<number>;
};
export type RoamUserHour = {
    projectId: string;
    groupId: string;
    hour: number;
    shard: Generated<number>;
    live: number;
};
export type DB = {
    plaspyAccounts: PlaspyAccount;
    plaspyApiKeys: PlaspyApiKey;
    plaspyTokens: PlaspyToken;
    plaspyUsage: PlaspyUsage;
    plaspyUsers: PlaspyUser;
    roamAccounts: RoamAccount;
    roamApiKeys: RoamApiKey;
    roamGroups: RoamGroup;
    roamProjects: RoamProject;
    roamUserHours: RoamUserHour;
    roamUsers: RoamUser;
};
