// Original file: proto/zinc.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ControlRequest as _zinc_v1_ControlRequest, ControlRequest__Output as _zinc_v1_ControlRequest__Output } from '../../zinc/v1/ControlRequest.js';
import type { Empty as _zinc_v1_Empty, Empty__Output as _zinc_v1_Empty__Output } from '../../zinc/v1/Empty.js';
import type { JobInfo as _zinc_v1_JobInfo, JobInfo__Output as _zinc_v1_JobInfo__Output } from '../../zinc/v1/JobInfo.js';
import type { JobRef as _zinc_v1_JobRef, JobRef__Output as _zinc_v1_JobRef__Output } from '../../zinc/v1/JobRef.js';
import type { JobReport as _zinc_v1_JobReport, JobReport__Output as _zinc_v1_JobReport__Output } from '../../zinc/v1/JobReport.js';
import type { ListReply as _zinc_v1_ListReply, ListReply__Output as _zinc_v1_ListReply__Output } from '../../zinc/v1/ListReply.js';
import type { ListRequest as _zinc_v1_ListRequest, ListRequest__Output as _zinc_v1_ListRequest__Output } from '../../zinc/v1/ListRequest.js';
import type { LogChunk as _zinc_v1_LogChunk, LogChunk__Output as _zinc_v1_LogChunk__Output } from '../../zinc/v1/LogChunk.js';
import type { LogsRequest as _zinc_v1_LogsRequest, LogsRequest__Output as _zinc_v1_LogsRequest__Output } from '../../zinc/v1/LogsRequest.js';
import type { SubmitReply as _zinc_v1_SubmitReply, SubmitReply__Output as _zinc_v1_SubmitReply__Output } from '../../zinc/v1/SubmitReply.js';
import type { SubmitRequest as _zinc_v1_SubmitRequest, SubmitRequest__Output as _zinc_v1_SubmitRequest__Output } from '../../zinc/v1/SubmitRequest.js';

export interface JobsClient extends grpc.Client {
  Control(argument: _zinc_v1_ControlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  Control(argument: _zinc_v1_ControlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  Control(argument: _zinc_v1_ControlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  Control(argument: _zinc_v1_ControlRequest, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  control(argument: _zinc_v1_ControlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  control(argument: _zinc_v1_ControlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  control(argument: _zinc_v1_ControlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  control(argument: _zinc_v1_ControlRequest, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  
  List(argument: _zinc_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_ListReply__Output>): grpc.ClientUnaryCall;
  List(argument: _zinc_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_ListReply__Output>): grpc.ClientUnaryCall;
  List(argument: _zinc_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_ListReply__Output>): grpc.ClientUnaryCall;
  List(argument: _zinc_v1_ListRequest, callback: grpc.requestCallback<_zinc_v1_ListReply__Output>): grpc.ClientUnaryCall;
  list(argument: _zinc_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_ListReply__Output>): grpc.ClientUnaryCall;
  list(argument: _zinc_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_ListReply__Output>): grpc.ClientUnaryCall;
  list(argument: _zinc_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_ListReply__Output>): grpc.ClientUnaryCall;
  list(argument: _zinc_v1_ListRequest, callback: grpc.requestCallback<_zinc_v1_ListReply__Output>): grpc.ClientUnaryCall;
  
  Logs(argument: _zinc_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_LogChunk__Output>;
  Logs(argument: _zinc_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_LogChunk__Output>;
  logs(argument: _zinc_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_LogChunk__Output>;
  logs(argument: _zinc_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_LogChunk__Output>;
  
  /**
   * zincd → home zincd.
   */
  Report(argument: _zinc_v1_JobReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  Report(argument: _zinc_v1_JobReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  Report(argument: _zinc_v1_JobReport, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  Report(argument: _zinc_v1_JobReport, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  /**
   * zincd → home zincd.
   */
  report(argument: _zinc_v1_JobReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  report(argument: _zinc_v1_JobReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  report(argument: _zinc_v1_JobReport, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  report(argument: _zinc_v1_JobReport, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Show(argument: _zinc_v1_JobRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  Show(argument: _zinc_v1_JobRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  Show(argument: _zinc_v1_JobRef, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  Show(argument: _zinc_v1_JobRef, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  show(argument: _zinc_v1_JobRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  show(argument: _zinc_v1_JobRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  show(argument: _zinc_v1_JobRef, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  show(argument: _zinc_v1_JobRef, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  
  Submit(argument: _zinc_v1_SubmitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_SubmitReply__Output>): grpc.ClientUnaryCall;
  Submit(argument: _zinc_v1_SubmitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_SubmitReply__Output>): grpc.ClientUnaryCall;
  Submit(argument: _zinc_v1_SubmitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_SubmitReply__Output>): grpc.ClientUnaryCall;
  Submit(argument: _zinc_v1_SubmitRequest, callback: grpc.requestCallback<_zinc_v1_SubmitReply__Output>): grpc.ClientUnaryCall;
  submit(argument: _zinc_v1_SubmitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_SubmitReply__Output>): grpc.ClientUnaryCall;
  submit(argument: _zinc_v1_SubmitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_SubmitReply__Output>): grpc.ClientUnaryCall;
  submit(argument: _zinc_v1_SubmitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_SubmitReply__Output>): grpc.ClientUnaryCall;
  submit(argument: _zinc_v1_SubmitRequest, callback: grpc.requestCallback<_zinc_v1_SubmitReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Returns when the job has ended (exited, killed or failed).
   */
  Wait(argument: _zinc_v1_JobRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  Wait(argument: _zinc_v1_JobRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  Wait(argument: _zinc_v1_JobRef, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  Wait(argument: _zinc_v1_JobRef, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  /**
   * Returns when the job has ended (exited, killed or failed).
   */
  wait(argument: _zinc_v1_JobRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  wait(argument: _zinc_v1_JobRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  wait(argument: _zinc_v1_JobRef, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  wait(argument: _zinc_v1_JobRef, callback: grpc.requestCallback<_zinc_v1_JobInfo__Output>): grpc.ClientUnaryCall;
  
}

export interface JobsHandlers extends grpc.UntypedServiceImplementation {
  Control: grpc.handleUnaryCall<_zinc_v1_ControlRequest__Output, _zinc_v1_JobInfo>;
  
  List: grpc.handleUnaryCall<_zinc_v1_ListRequest__Output, _zinc_v1_ListReply>;
  
  Logs: grpc.handleServerStreamingCall<_zinc_v1_LogsRequest__Output, _zinc_v1_LogChunk>;
  
  /**
   * zincd → home zincd.
   */
  Report: grpc.handleUnaryCall<_zinc_v1_JobReport__Output, _zinc_v1_Empty>;
  
  Show: grpc.handleUnaryCall<_zinc_v1_JobRef__Output, _zinc_v1_JobInfo>;
  
  Submit: grpc.handleUnaryCall<_zinc_v1_SubmitRequest__Output, _zinc_v1_SubmitReply>;
  
  /**
   * Returns when the job has ended (exited, killed or failed).
   */
  Wait: grpc.handleUnaryCall<_zinc_v1_JobRef__Output, _zinc_v1_JobInfo>;
  
}

export interface JobsDefinition extends grpc.ServiceDefinition {
  Control: MethodDefinition<_zinc_v1_ControlRequest, _zinc_v1_JobInfo, _zinc_v1_ControlRequest__Output, _zinc_v1_JobInfo__Output>
  List: MethodDefinition<_zinc_v1_ListRequest, _zinc_v1_ListReply, _zinc_v1_ListRequest__Output, _zinc_v1_ListReply__Output>
  Logs: MethodDefinition<_zinc_v1_LogsRequest, _zinc_v1_LogChunk, _zinc_v1_LogsRequest__Output, _zinc_v1_LogChunk__Output>
  Report: MethodDefinition<_zinc_v1_JobReport, _zinc_v1_Empty, _zinc_v1_JobReport__Output, _zinc_v1_Empty__Output>
  Show: MethodDefinition<_zinc_v1_JobRef, _zinc_v1_JobInfo, _zinc_v1_JobRef__Output, _zinc_v1_JobInfo__Output>
  Submit: MethodDefinition<_zinc_v1_SubmitRequest, _zinc_v1_SubmitReply, _zinc_v1_SubmitRequest__Output, _zinc_v1_SubmitReply__Output>
  Wait: MethodDefinition<_zinc_v1_JobRef, _zinc_v1_JobInfo, _zinc_v1_JobRef__Output, _zinc_v1_JobInfo__Output>
}
