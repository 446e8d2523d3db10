// Original file: proto/zinc.proto


export interface MigrationAccept {
  'id'?: (string);
  'host'?: (string);
}

export interface MigrationAccept__Output {
  'id': (string);
  'host': (string);
}
