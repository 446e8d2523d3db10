// Original file: proto/zinc.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { MigrateProgress as _zinc_v1_MigrateProgress, MigrateProgress__Output as _zinc_v1_MigrateProgress__Output } from '../../zinc/v1/MigrateProgress.js';
import type { MigrateRequest as _zinc_v1_MigrateRequest, MigrateRequest__Output as _zinc_v1_MigrateRequest__Output } from '../../zinc/v1/MigrateRequest.js';

export interface MigrationsClient extends grpc.Client {
  Migrate(argument: _zinc_v1_MigrateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_MigrateProgress__Output>;
  Migrate(argument: _zinc_v1_MigrateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_MigrateProgress__Output>;
  migrate(argument: _zinc_v1_MigrateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_MigrateProgress__Output>;
  migrate(argument: _zinc_v1_MigrateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_MigrateProgress__Output>;
  
}

export interface MigrationsHandlers extends grpc.UntypedServiceImplementation {
  Migrate: grpc.handleServerStreamingCall<_zinc_v1_MigrateRequest__Output, _zinc_v1_MigrateProgress>;
  
}

export interface MigrationsDefinition extends grpc.ServiceDefinition {
  Migrate: MethodDefinition<_zinc_v1_MigrateRequest, _zinc_v1_MigrateProgress, _zinc_v1_MigrateRequest__Output, _zinc_v1_MigrateProgress__Output>
}
