// Original file: proto/zinc.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AbortRequest as _zinc_v1_AbortRequest, AbortRequest__Output as _zinc_v1_AbortRequest__Output } from '../../zinc/v1/AbortRequest.js';
import type { Empty as _zinc_v1_Empty, Empty__Output as _zinc_v1_Empty__Output } from '../../zinc/v1/Empty.js';
import type { FetchChunk as _zinc_v1_FetchChunk, FetchChunk__Output as _zinc_v1_FetchChunk__Output } from '../../zinc/v1/FetchChunk.js';
import type { MigrationAccept as _zinc_v1_MigrationAccept, MigrationAccept__Output as _zinc_v1_MigrationAccept__Output } from '../../zinc/v1/MigrationAccept.js';
import type { MigrationOffer as _zinc_v1_MigrationOffer, MigrationOffer__Output as _zinc_v1_MigrationOffer__Output } from '../../zinc/v1/MigrationOffer.js';
import type { MigrationRef as _zinc_v1_MigrationRef, MigrationRef__Output as _zinc_v1_MigrationRef__Output } from '../../zinc/v1/MigrationRef.js';
import type { MigrationStatus as _zinc_v1_MigrationStatus, MigrationStatus__Output as _zinc_v1_MigrationStatus__Output } from '../../zinc/v1/MigrationStatus.js';
import type { ReceiveReply as _zinc_v1_ReceiveReply, ReceiveReply__Output as _zinc_v1_ReceiveReply__Output } from '../../zinc/v1/ReceiveReply.js';
import type { ReceiveRequest as _zinc_v1_ReceiveRequest, ReceiveRequest__Output as _zinc_v1_ReceiveRequest__Output } from '../../zinc/v1/ReceiveRequest.js';

export interface MigrationPeerClient extends grpc.Client {
  /**
   * destination: drop it
   */
  Abort(argument: _zinc_v1_AbortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  Abort(argument: _zinc_v1_AbortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  Abort(argument: _zinc_v1_AbortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  Abort(argument: _zinc_v1_AbortRequest, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  /**
   * destination: drop it
   */
  abort(argument: _zinc_v1_AbortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  abort(argument: _zinc_v1_AbortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  abort(argument: _zinc_v1_AbortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  abort(argument: _zinc_v1_AbortRequest, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  /**
   * source: the archive; ending it OK commits
   */
  Fetch(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_FetchChunk__Output>;
  Fetch(argument: _zinc_v1_MigrationRef, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_FetchChunk__Output>;
  /**
   * source: the archive; ending it OK commits
   */
  fetch(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_FetchChunk__Output>;
  fetch(argument: _zinc_v1_MigrationRef, options?: grpc.CallOptions): grpc.ClientReadableStream<_zinc_v1_FetchChunk__Output>;
  
  /**
   * destination: source has cleaned up
   */
  Finish(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  Finish(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  Finish(argument: _zinc_v1_MigrationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  Finish(argument: _zinc_v1_MigrationRef, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  /**
   * destination: source has cleaned up
   */
  finish(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  finish(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  finish(argument: _zinc_v1_MigrationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  finish(argument: _zinc_v1_MigrationRef, callback: grpc.requestCallback<_zinc_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  /**
   * destination: accept or refuse
   */
  Offer(argument: _zinc_v1_MigrationOffer, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_MigrationAccept__Output>): grpc.ClientUnaryCall;
  Offer(argument: _zinc_v1_MigrationOffer, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_MigrationAccept__Output>): grpc.ClientUnaryCall;
  Offer(argument: _zinc_v1_MigrationOffer, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_MigrationAccept__Output>): grpc.ClientUnaryCall;
  Offer(argument: _zinc_v1_MigrationOffer, callback: grpc.requestCallback<_zinc_v1_MigrationAccept__Output>): grpc.ClientUnaryCall;
  /**
   * destination: accept or refuse
   */
  offer(argument: _zinc_v1_MigrationOffer, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_MigrationAccept__Output>): grpc.ClientUnaryCall;
  offer(argument: _zinc_v1_MigrationOffer, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_MigrationAccept__Output>): grpc.ClientUnaryCall;
  offer(argument: _zinc_v1_MigrationOffer, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_MigrationAccept__Output>): grpc.ClientUnaryCall;
  offer(argument: _zinc_v1_MigrationOffer, callback: grpc.requestCallback<_zinc_v1_MigrationAccept__Output>): grpc.ClientUnaryCall;
  
  /**
   * destination: pull, verify, restore on commit
   */
  Receive(argument: _zinc_v1_ReceiveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_ReceiveReply__Output>): grpc.ClientUnaryCall;
  Receive(argument: _zinc_v1_ReceiveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_ReceiveReply__Output>): grpc.ClientUnaryCall;
  Receive(argument: _zinc_v1_ReceiveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_ReceiveReply__Output>): grpc.ClientUnaryCall;
  Receive(argument: _zinc_v1_ReceiveRequest, callback: grpc.requestCallback<_zinc_v1_ReceiveReply__Output>): grpc.ClientUnaryCall;
  /**
   * destination: pull, verify, restore on commit
   */
  receive(argument: _zinc_v1_ReceiveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_ReceiveReply__Output>): grpc.ClientUnaryCall;
  receive(argument: _zinc_v1_ReceiveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_ReceiveReply__Output>): grpc.ClientUnaryCall;
  receive(argument: _zinc_v1_ReceiveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_ReceiveReply__Output>): grpc.ClientUnaryCall;
  receive(argument: _zinc_v1_ReceiveRequest, callback: grpc.requestCallback<_zinc_v1_ReceiveReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * either side: where are you?
   */
  Status(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_MigrationStatus__Output>): grpc.ClientUnaryCall;
  Status(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_MigrationStatus__Output>): grpc.ClientUnaryCall;
  Status(argument: _zinc_v1_MigrationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_MigrationStatus__Output>): grpc.ClientUnaryCall;
  Status(argument: _zinc_v1_MigrationRef, callback: grpc.requestCallback<_zinc_v1_MigrationStatus__Output>): grpc.ClientUnaryCall;
  /**
   * either side: where are you?
   */
  status(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_MigrationStatus__Output>): grpc.ClientUnaryCall;
  status(argument: _zinc_v1_MigrationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_zinc_v1_MigrationStatus__Output>): grpc.ClientUnaryCall;
  status(argument: _zinc_v1_MigrationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_zinc_v1_MigrationStatus__Output>): grpc.ClientUnaryCall;
  status(argument: _zinc_v1_MigrationRef, callback: grpc.requestCallback<_zinc_v1_MigrationStatus__Output>): grpc.ClientUnaryCall;
  
}

export interface MigrationPeerHandlers extends grpc.UntypedServiceImplementation {
  /**
   * destination: drop it
   */
  Abort: grpc.handleUnaryCall<_zinc_v1_AbortRequest__Output, _zinc_v1_Empty>;
  
  /**
   * source: the archive; ending it OK commits
   */
  Fetch: grpc.handleServerStreamingCall<_zinc_v1_MigrationRef__Output, _zinc_v1_FetchChunk>;
  
  /**
   * destination: source has cleaned up
   */
  Finish: grpc.handleUnaryCall<_zinc_v1_MigrationRef__Output, _zinc_v1_Empty>;
  
  /**
   * destination: accept or refuse
   */
  Offer: grpc.handleUnaryCall<_zinc_v1_MigrationOffer__Output, _zinc_v1_MigrationAccept>;
  
  /**
   * destination: pull, verify, restore on commit
   */
  Receive: grpc.handleUnaryCall<_zinc_v1_ReceiveRequest__Output, _zinc_v1_ReceiveReply>;
  
  /**
   * either side: where are you?
   */
  Status: grpc.handleUnaryCall<_zinc_v1_MigrationRef__Output, _zinc_v1_MigrationStatus>;
  
}

export interface MigrationPeerDefinition extends grpc.ServiceDefinition {
  Abort: MethodDefinition<_zinc_v1_AbortRequest, _zinc_v1_Empty, _zinc_v1_AbortRequest__Output, _zinc_v1_Empty__Output>
  Fetch: MethodDefinition<_zinc_v1_MigrationRef, _zinc_v1_FetchChunk, _zinc_v1_MigrationRef__Output, _zinc_v1_FetchChunk__Output>
  Finish: MethodDefinition<_zinc_v1_MigrationRef, _zinc_v1_Empty, _zinc_v1_MigrationRef__Output, _zinc_v1_Empty__Output>
  Offer: MethodDefinition<_zinc_v1_MigrationOffer, _zinc_v1_MigrationAccept, _zinc_v1_MigrationOffer__Output, _zinc_v1_MigrationAccept__Output>
  Receive: MethodDefinition<_zinc_v1_ReceiveRequest, _zinc_v1_ReceiveReply, _zinc_v1_ReceiveRequest__Output, _zinc_v1_ReceiveReply__Output>
  Status: MethodDefinition<_zinc_v1_MigrationRef, _zinc_v1_MigrationStatus, _zinc_v1_MigrationRef__Output, _zinc_v1_MigrationStatus__Output>
}
