// Original file: proto/zinc.proto


export interface Empty {
}

export interface Empty__Output {
}
