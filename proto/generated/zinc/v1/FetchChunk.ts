// Original file: proto/zinc.proto


export interface FetchChunk {
  'data'?: (Buffer | Uint8Array | string);
}

export interface FetchChunk__Output {
  'data': (Buffer);
}
