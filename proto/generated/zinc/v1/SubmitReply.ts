// Original file: proto/zinc.proto


export interface SubmitReply {
  'gpid'?: (string);
  'host'?: (string);
}

export interface SubmitReply__Output {
  'gpid': (string);
  'host': (string);
}
