// Original file: proto/zinc.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CheckpointReply as _zinc_v1_CheckpointReply, CheckpointReply__Output as _zinc_v1_CheckpointReply__Output } from '../../zinc/v1/CheckpointReply.js';
import type { CheckpointRequest as _zinc_v1_CheckpointRequest, CheckpointRequest__Output as _zinc_v1_CheckpointRequest__Output } from '../../zinc/v1/CheckpointRequest.js';
import type { RestartReply as _zinc_v1_RestartReply, RestartReply__Output as _zinc_v1_RestartReply__Output } from '../../zinc/v1/RestartReply.js';
import type { RestartRequest as _zinc_v1_RestartRequest, RestartRequest__Output as _zinc_v1_RestartRequest__Output } from '../../zinc/v1/RestartRequest.js';

export interface CheckpointsClient extends grpc.Client {
  Checkpoint(argument: _zinc_v1_CheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_CheckpointReply__Output>): grpc.ClientUnaryCall;
  Checkpoint(argument: _zinc_v1_CheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_CheckpointReply__Output>): grpc.ClientUnaryCall;
  Checkpoint(argument: _zinc_v1_CheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_CheckpointReply__Output>): grpc.ClientUnaryCall;
  Checkpoint(argument: _zinc_v1_CheckpointRequest, callback: grpc.requestCallback<_zinc_v1_CheckpointReply__Output>): grpc.ClientUnaryCall;
  checkpoint(argument: _zinc_v1_CheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_CheckpointReply__Output>): grpc.ClientUnaryCall;
  checkpoint(argument: _zinc_v1_CheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_CheckpointReply__Output>): grpc.ClientUnaryCall;
  checkpoint(argument: _zinc_v1_CheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_CheckpointReply__Output>): grpc.ClientUnaryCall;
  checkpoint(argument: _zinc_v1_CheckpointRequest, callback: grpc.requestCallback<_zinc_v1_CheckpointReply__Output>): grpc.ClientUnaryCall;
  
  Restart(argument: _zinc_v1_RestartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_RestartReply__Output>): grpc.ClientUnaryCall;
  Restart(argument: _zinc_v1_RestartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_RestartReply__Output>): grpc.ClientUnaryCall;
  Restart(argument: _zinc_v1_RestartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_RestartReply__Output>): grpc.ClientUnaryCall;
  Restart(argument: _zinc_v1_RestartRequest, callback: grpc.requestCallback<_zinc_v1_RestartReply__Output>): grpc.ClientUnaryCall;
  restart(argument: _zinc_v1_RestartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_RestartReply__Output>): grpc.ClientUnaryCall;
  restart(argument: _zinc_v1_RestartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_RestartReply__Output>): grpc.ClientUnaryCall;
  restart(argument: _zinc_v1_RestartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_RestartReply__Output>): grpc.ClientUnaryCall;
  restart(argument: _zinc_v1_RestartRequest, callback: grpc.requestCallback<_zinc_v1_RestartReply__Output>): grpc.ClientUnaryCall;
  
}

export interface CheckpointsHandlers extends grpc.UntypedServiceImplementation {
  Checkpoint: grpc.handleUnaryCall<_zinc_v1_CheckpointRequest__Output, _zinc_v1_CheckpointReply>;
  
  Restart: grpc.handleUnaryCall<_zinc_v1_RestartRequest__Output, _zinc_v1_RestartReply>;
  
}

export interface CheckpointsDefinition extends grpc.ServiceDefinition {
  Checkpoint: MethodDefinition<_zinc_v1_CheckpointRequest, _zinc_v1_CheckpointReply, _zinc_v1_CheckpointRequest__Output, _zinc_v1_CheckpointReply__Output>
  Restart: MethodDefinition<_zinc_v1_RestartRequest, _zinc_v1_RestartReply, _zinc_v1_RestartRequest__Output, _zinc_v1_RestartReply__Output>
}
