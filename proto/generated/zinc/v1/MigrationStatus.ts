// Original file: proto/zinc.proto


export interface MigrationStatus {
  'id'?: (string);
  /**
   * unknown, accepted, receiving, received, restoring, running, aborted
   */
  'phase'?: (string);
  'detail'?: (string);
}

export interface MigrationStatus__Output {
  'id': (string);
  /**
   * unknown, accepted, receiving, received, restoring, running, aborted
   */
  'phase': (string);
  'detail': (string);
}
