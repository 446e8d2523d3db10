// Original file: proto/zinc.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GossipAck as _zinc_v1_GossipAck, GossipAck__Output as _zinc_v1_GossipAck__Output } from '../../zinc/v1/GossipAck.js';
import type { GossipMessage as _zinc_v1_GossipMessage, GossipMessage__Output as _zinc_v1_GossipMessage__Output } from '../../zinc/v1/GossipMessage.js';

export interface GossipClient extends grpc.Client {
  Push(argument: _zinc_v1_GossipMessage, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_GossipAck__Output>): grpc.ClientUnaryCall;
  Push(argument: _zinc_v1_GossipMessage, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_GossipAck__Output>): grpc.ClientUnaryCall;
  Push(argument: _zinc_v1_GossipMessage, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_GossipAck__Output>): grpc.ClientUnaryCall;
  Push(argument: _zinc_v1_GossipMessage, callback: grpc.requestCallback<_zinc_v1_GossipAck__Output>): grpc.ClientUnaryCall;
  push(argument: _zinc_v1_GossipMessage, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_GossipAck__Output>): grpc.ClientUnaryCall;
  push(argument: _zinc_v1_GossipMessage, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_GossipAck__Output>): grpc.ClientUnaryCall;
  push(argument: _zinc_v1_GossipMessage, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_GossipAck__Output>): grpc.ClientUnaryCall;
  push(argument: _zinc_v1_GossipMessage, callback: grpc.requestCallback<_zinc_v1_GossipAck__Output>): grpc.ClientUnaryCall;
  
}

export interface GossipHandlers extends grpc.UntypedServiceImplementation {
  Push: grpc.handleUnaryCall<_zinc_v1_GossipMessage__Output, _zinc_v1_GossipAck>;
  
}

export interface GossipDefinition extends grpc.ServiceDefinition {
  Push: MethodDefinition<_zinc_v1_GossipMessage, _zinc_v1_GossipAck, _zinc_v1_GossipMessage__Output, _zinc_v1_GossipAck__Output>
}
