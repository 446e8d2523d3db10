// Original file: proto/zinc.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DrainReply as _zinc_v1_DrainReply, DrainReply__Output as _zinc_v1_DrainReply__Output } from '../../zinc/v1/DrainReply.js';
import type { DrainRequest as _zinc_v1_DrainRequest, DrainRequest__Output as _zinc_v1_DrainRequest__Output } from '../../zinc/v1/DrainRequest.js';
import type { PolicyReply as _zinc_v1_PolicyReply, PolicyReply__Output as _zinc_v1_PolicyReply__Output } from '../../zinc/v1/PolicyReply.js';
import type { PolicySetReply as _zinc_v1_PolicySetReply, PolicySetReply__Output as _zinc_v1_PolicySetReply__Output } from '../../zinc/v1/PolicySetReply.js';
import type { PolicySetRequest as _zinc_v1_PolicySetRequest, PolicySetRequest__Output as _zinc_v1_PolicySetRequest__Output } from '../../zinc/v1/PolicySetRequest.js';
import type { PolicyShowRequest as _zinc_v1_PolicyShowRequest, PolicyShowRequest__Output as _zinc_v1_PolicyShowRequest__Output } from '../../zinc/v1/PolicyShowRequest.js';

export interface PolicyClient extends grpc.Client {
  Drain(argument: _zinc_v1_DrainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_DrainReply__Output>): grpc.ClientUnaryCall;
  Drain(argument: _zinc_v1_DrainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_DrainReply__Output>): grpc.ClientUnaryCall;
  Drain(argument: _zinc_v1_DrainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_DrainReply__Output>): grpc.ClientUnaryCall;
  Drain(argument: _zinc_v1_DrainRequest, callback: grpc.requestCallback<_zinc_v1_DrainReply__Output>): grpc.ClientUnaryCall;
  drain(argument: _zinc_v1_DrainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_DrainReply__Output>): grpc.ClientUnaryCall;
  drain(argument: _zinc_v1_DrainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_DrainReply__Output>): grpc.ClientUnaryCall;
  drain(argument: _zinc_v1_DrainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_DrainReply__Output>): grpc.ClientUnaryCall;
  drain(argument: _zinc_v1_DrainRequest, callback: grpc.requestCallback<_zinc_v1_DrainReply__Output>): grpc.ClientUnaryCall;
  
  Set(argument: _zinc_v1_PolicySetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_PolicySetReply__Output>): grpc.ClientUnaryCall;
  Set(argument: _zinc_v1_PolicySetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_PolicySetReply__Output>): grpc.ClientUnaryCall;
  Set(argument: _zinc_v1_PolicySetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_PolicySetReply__Output>): grpc.ClientUnaryCall;
  Set(argument: _zinc_v1_PolicySetRequest, callback: grpc.requestCallback<_zinc_v1_PolicySetReply__Output>): grpc.ClientUnaryCall;
  set(argument: _zinc_v1_PolicySetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_PolicySetReply__Output>): grpc.ClientUnaryCall;
  set(argument: _zinc_v1_PolicySetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_PolicySetReply__Output>): grpc.ClientUnaryCall;
  set(argument: _zinc_v1_PolicySetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_PolicySetReply__Output>): grpc.ClientUnaryCall;
  set(argument: _zinc_v1_PolicySetRequest, callback: grpc.requestCallback<_zinc_v1_PolicySetReply__Output>): grpc.ClientUnaryCall;
  
  Show(argument: _zinc_v1_PolicyShowRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  Show(argument: _zinc_v1_PolicyShowRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  Show(argument: _zinc_v1_PolicyShowRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  Show(argument: _zinc_v1_PolicyShowRequest, callback: grpc.requestCallback<_zinc_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  show(argument: _zinc_v1_PolicyShowRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  show(argument: _zinc_v1_PolicyShowRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  show(argument: _zinc_v1_PolicyShowRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  show(argument: _zinc_v1_PolicyShowRequest, callback: grpc.requestCallback<_zinc_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  
}

export interface PolicyHandlers extends grpc.UntypedServiceImplementation {
  Drain: grpc.handleUnaryCall<_zinc_v1_DrainRequest__Output, _zinc_v1_DrainReply>;
  
  Set: grpc.handleUnaryCall<_zinc_v1_PolicySetRequest__Output, _zinc_v1_PolicySetReply>;
  
  Show: grpc.handleUnaryCall<_zinc_v1_PolicyShowRequest__Output, _zinc_v1_PolicyReply>;
  
}

export interface PolicyDefinition extends grpc.ServiceDefinition {
  Drain: MethodDefinition<_zinc_v1_DrainRequest, _zinc_v1_DrainReply, _zinc_v1_DrainRequest__Output, _zinc_v1_DrainReply__Output>
  Set: MethodDefinition<_zinc_v1_PolicySetRequest, _zinc_v1_PolicySetReply, _zinc_v1_PolicySetRequest__Output, _zinc_v1_PolicySetReply__Output>
  Show: MethodDefinition<_zinc_v1_PolicyShowRequest, _zinc_v1_PolicyReply, _zinc_v1_PolicyShowRequest__Output, _zinc_v1_PolicyReply__Output>
}
