/**
 * Loads proto/zinc.proto at run time with the same options the generated types were made with
 * (see `gen:proto` in package.json), so the objects grpc-js hands us match proto/generated/.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType } from './generated/zinc.js';

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** proto/zinc.proto, found from both the sources (proto/) and the build (dist/proto/). */
export function protoPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'zinc.proto'), join(here, '..', '..', 'proto', 'zinc.proto')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`zinc.proto not found near ${here}; the installation is incomplete, reinstall zinc`);
}

let cached: ProtoGrpcType | undefined;

export function loadZincProto(): ProtoGrpcType {
  if (!cached) {
    const def = protoLoader.loadSync(protoPath(), LOADER_OPTIONS);
    cached = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
  }
  return cached;
}

export type ZincV1 = ProtoGrpcType['zinc']['v1'];

export function zincV1(): ZincV1 {
  return loadZincProto().zinc.v1;
}
