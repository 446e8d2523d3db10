// Original file: proto/zinc.proto

export const HostStatus = {
  HOST_STATUS_UNSPECIFIED: 'HOST_STATUS_UNSPECIFIED',
  HOST_STATUS_ALIVE: 'HOST_STATUS_ALIVE',
  HOST_STATUS_STALE: 'HOST_STATUS_STALE',
  HOST_STATUS_DEAD: 'HOST_STATUS_DEAD',
} as const;

export type HostStatus =
  | 'HOST_STATUS_UNSPECIFIED'
  | 0
  | 'HOST_STATUS_ALIVE'
  | 1
  | 'HOST_STATUS_STALE'
  | 2
  | 'HOST_STATUS_DEAD'
  | 3

export type HostStatus__Output = typeof HostStatus[keyof typeof HostStatus]
