// Original file: proto/zinc.proto

export const ControlAction = {
  CONTROL_ACTION_UNSPECIFIED: 'CONTROL_ACTION_UNSPECIFIED',
  CONTROL_ACTION_STOP: 'CONTROL_ACTION_STOP',
  CONTROL_ACTION_CONT: 'CONTROL_ACTION_CONT',
  CONTROL_ACTION_KILL: 'CONTROL_ACTION_KILL',
} as const;

export type ControlAction =
  | 'CONTROL_ACTION_UNSPECIFIED'
  | 0
  | 'CONTROL_ACTION_STOP'
  | 1
  | 'CONTROL_ACTION_CONT'
  | 2
  | 'CONTROL_ACTION_KILL'
  | 3

export type ControlAction__Output = typeof ControlAction[keyof typeof ControlAction]
