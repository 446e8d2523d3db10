// Original file: proto/zinc.proto


export interface PolicyStage {
  'name'?: (string);
  'params'?: ({[key: string]: string});
}

export interface PolicyStage__Output {
  'name': (string);
  'params': ({[key: string]: string});
}
