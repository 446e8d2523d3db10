// Original file: proto/zinc.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DoctorReport as _zinc_v1_DoctorReport, DoctorReport__Output as _zinc_v1_DoctorReport__Output } from '../../zinc/v1/DoctorReport.js';
import type { Empty as _zinc_v1_Empty, Empty__Output as _zinc_v1_Empty__Output } from '../../zinc/v1/Empty.js';
import type { HelloReply as _zinc_v1_HelloReply, HelloReply__Output as _zinc_v1_HelloReply__Output } from '../../zinc/v1/HelloReply.js';
import type { HostsReply as _zinc_v1_HostsReply, HostsReply__Output as _zinc_v1_HostsReply__Output } from '../../zinc/v1/HostsReply.js';
import type { HostsRequest as _zinc_v1_HostsRequest, HostsRequest__Output as _zinc_v1_HostsRequest__Output } from '../../zinc/v1/HostsRequest.js';

export interface HostsClient extends grpc.Client {
  Doctor(argument: _zinc_v1_HostsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_DoctorReport__Output>): grpc.ClientUnaryCall;
  Doctor(argument: _zinc_v1_HostsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_DoctorReport__Output>): grpc.ClientUnaryCall;
  Doctor(argument: _zinc_v1_HostsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_DoctorReport__Output>): grpc.ClientUnaryCall;
  Doctor(argument: _zinc_v1_HostsRequest, callback: grpc.requestCallback<_zinc_v1_DoctorReport__Output>): grpc.ClientUnaryCall;
  doctor(argument: _zinc_v1_HostsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_DoctorReport__Output>): grpc.ClientUnaryCall;
  doctor(argument: _zinc_v1_HostsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_DoctorReport__Output>): grpc.ClientUnaryCall;
  doctor(argument: _zinc_v1_HostsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_DoctorReport__Output>): grpc.ClientUnaryCall;
  doctor(argument: _zinc_v1_HostsRequest, callback: grpc.requestCallback<_zinc_v1_DoctorReport__Output>): grpc.ClientUnaryCall;
  
  Hello(argument: _zinc_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_HelloReply__Output>): grpc.ClientUnaryCall;
  Hello(argument: _zinc_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_HelloReply__Output>): grpc.ClientUnaryCall;
  Hello(argument: _zinc_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_HelloReply__Output>): grpc.ClientUnaryCall;
  Hello(argument: _zinc_v1_Empty, callback: grpc.requestCallback<_zinc_v1_HelloReply__Output>): grpc.ClientUnaryCall;
  hello(argument: _zinc_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_HelloReply__Output>): grpc.ClientUnaryCall;
  hello(argument: _zinc_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_HelloReply__Output>): grpc.ClientUnaryCall;
  hello(argument: _zinc_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_HelloReply__Output>): grpc.ClientUnaryCall;
  hello(argument: _zinc_v1_Empty, callback: grpc.requestCallback<_zinc_v1_HelloReply__Output>): grpc.ClientUnaryCall;
  
  List(argument: _zinc_v1_HostsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_HostsReply__Output>): grpc.ClientUnaryCall;
  List(argument: _zinc_v1_HostsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_HostsReply__Output>): grpc.ClientUnaryCall;
  List(argument: _zinc_v1_HostsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_HostsReply__Output>): grpc.ClientUnaryCall;
  List(argument: _zinc_v1_HostsRequest, callback: grpc.requestCallback<_zinc_v1_HostsReply__Output>): grpc.ClientUnaryCall;
  list(argument: _zinc_v1_HostsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_HostsReply__Output>): grpc.ClientUnaryCall;
  list(argument: _zinc_v1_HostsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_HostsReply__Output>): grpc.ClientUnaryCall;
  list(argument: _zinc_v1_HostsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_HostsReply__Output>): grpc.ClientUnaryCall;
  list(argument: _zinc_v1_HostsRequest, callback: grpc.requestCallback<_zinc_v1_HostsReply__Output>): grpc.ClientUnaryCall;
  
}

export interface HostsHandlers extends grpc.UntypedServiceImplementation {
  Doctor: grpc.handleUnaryCall<_zinc_v1_HostsRequest__Output, _zinc_v1_DoctorReport>;
  
  Hello: grpc.handleUnaryCall<_zinc_v1_Empty__Output, _zinc_v1_HelloReply>;
  
  List: grpc.handleUnaryCall<_zinc_v1_HostsRequest__Output, _zinc_v1_HostsReply>;
  
}

export interface HostsDefinition extends grpc.ServiceDefinition {
  Doctor: MethodDefinition<_zinc_v1_HostsRequest, _zinc_v1_DoctorReport, _zinc_v1_HostsRequest__Output, _zinc_v1_DoctorReport__Output>
  Hello: MethodDefinition<_zinc_v1_Empty, _zinc_v1_HelloReply, _zinc_v1_Empty__Output, _zinc_v1_HelloReply__Output>
  List: MethodDefinition<_zinc_v1_HostsRequest, _zinc_v1_HostsReply, _zinc_v1_HostsRequest__Output, _zinc_v1_HostsReply__Output>
}
