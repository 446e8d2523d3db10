import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AbortRequest as _zinc_v1_AbortRequest, AbortRequest__Output as _zinc_v1_AbortRequest__Output } from './zinc/v1/AbortRequest.js';
import type { CheckpointReply as _zinc_v1_CheckpointReply, CheckpointReply__Output as _zinc_v1_CheckpointReply__Output } from './zinc/v1/CheckpointReply.js';
import type { CheckpointRequest as _zinc_v1_CheckpointRequest, CheckpointRequest__Output as _zinc_v1_CheckpointRequest__Output } from './zinc/v1/CheckpointRequest.js';
import type { CheckpointsClient as _zinc_v1_CheckpointsClient, CheckpointsDefinition as _zinc_v1_CheckpointsDefinition } from './zinc/v1/Checkpoints.js';
import type { ControlRequest as _zinc_v1_ControlRequest, ControlRequest__Output as _zinc_v1_ControlRequest__Output } from './zinc/v1/ControlRequest.js';
import type { DoctorCheck as _zinc_v1_DoctorCheck, DoctorCheck__Output as _zinc_v1_DoctorCheck__Output } from './zinc/v1/DoctorCheck.js';
import type { DoctorReport as _zinc_v1_DoctorReport, DoctorReport__Output as _zinc_v1_DoctorReport__Output } from './zinc/v1/DoctorReport.js';
import type { DrainReply as _zinc_v1_DrainReply, DrainReply__Output as _zinc_v1_DrainReply__Output } from './zinc/v1/DrainReply.js';
import type { DrainRequest as _zinc_v1_DrainRequest, DrainRequest__Output as _zinc_v1_DrainRequest__Output } from './zinc/v1/DrainRequest.js';
import type { Empty as _zinc_v1_Empty, Empty__Output as _zinc_v1_Empty__Output } from './zinc/v1/Empty.js';
import type { ExitInfo as _zinc_v1_ExitInfo, ExitInfo__Output as _zinc_v1_ExitInfo__Output } from './zinc/v1/ExitInfo.js';
import type { FetchChunk as _zinc_v1_FetchChunk, FetchChunk__Output as _zinc_v1_FetchChunk__Output } from './zinc/v1/FetchChunk.js';
import type { GossipClient as _zinc_v1_GossipClient, GossipDefinition as _zinc_v1_GossipDefinition } from './zinc/v1/Gossip.js';
import type { GossipAck as _zinc_v1_GossipAck, GossipAck__Output as _zinc_v1_GossipAck__Output } from './zinc/v1/GossipAck.js';
import type { GossipEntry as _zinc_v1_GossipEntry, GossipEntry__Output as _zinc_v1_GossipEntry__Output } from './zinc/v1/GossipEntry.js';
import type { GossipMessage as _zinc_v1_GossipMessage, GossipMessage__Output as _zinc_v1_GossipMessage__Output } from './zinc/v1/GossipMessage.js';
import type { HelloReply as _zinc_v1_HelloReply, HelloReply__Output as _zinc_v1_HelloReply__Output } from './zinc/v1/HelloReply.js';
import type { HostRecord as _zinc_v1_HostRecord, HostRecord__Output as _zinc_v1_HostRecord__Output } from './zinc/v1/HostRecord.js';
import type { HostView as _zinc_v1_HostView, HostView__Output as _zinc_v1_HostView__Output } from './zinc/v1/HostView.js';
import type { HostsClient as _zinc_v1_HostsClient, HostsDefinition as _zinc_v1_HostsDefinition } from './zinc/v1/Hosts.js';
import type { HostsReply as _zinc_v1_HostsReply, HostsReply__Output as _zinc_v1_HostsReply__Output } from './zinc/v1/HostsReply.js';
import type { HostsRequest as _zinc_v1_HostsRequest, HostsRequest__Output as _zinc_v1_HostsRequest__Output } from './zinc/v1/HostsRequest.js';
import type { JobEvent as _zinc_v1_JobEvent, JobEvent__Output as _zinc_v1_JobEvent__Output } from './zinc/v1/JobEvent.js';
import type { JobInfo as _zinc_v1_JobInfo, JobInfo__Output as _zinc_v1_JobInfo__Output } from './zinc/v1/JobInfo.js';
import type { JobRef as _zinc_v1_JobRef, JobRef__Output as _zinc_v1_JobRef__Output } from './zinc/v1/JobRef.js';
import type { JobReport as _zinc_v1_JobReport, JobReport__Output as _zinc_v1_JobReport__Output } from './zinc/v1/JobReport.js';
import type { JobSpec as _zinc_v1_JobSpec, JobSpec__Output as _zinc_v1_JobSpec__Output } from './zinc/v1/JobSpec.js';
import type { JobsClient as _zinc_v1_JobsClient, JobsDefinition as _zinc_v1_JobsDefinition } from './zinc/v1/Jobs.js';
import type { ListReply as _zinc_v1_ListReply, ListReply__Output as _zinc_v1_ListReply__Output } from './zinc/v1/ListReply.js';
import type { ListRequest as _zinc_v1_ListRequest, ListRequest__Output as _zinc_v1_ListRequest__Output } from './zinc/v1/ListRequest.js';
import type { LogChunk as _zinc_v1_LogChunk, LogChunk__Output as _zinc_v1_LogChunk__Output } from './zinc/v1/LogChunk.js';
import type { LogsRequest as _zinc_v1_LogsRequest, LogsRequest__Output as _zinc_v1_LogsRequest__Output } from './zinc/v1/LogsRequest.js';
import type { MigrateProgress as _zinc_v1_MigrateProgress, MigrateProgress__Output as _zinc_v1_MigrateProgress__Output } from './zinc/v1/MigrateProgress.js';
import type { MigrateRequest as _zinc_v1_MigrateRequest, MigrateRequest__Output as _zinc_v1_MigrateRequest__Output } from './zinc/v1/MigrateRequest.js';
import type { MigrationAccept as _zinc_v1_MigrationAccept, MigrationAccept__Output as _zinc_v1_MigrationAccept__Output } from './zinc/v1/MigrationAccept.js';
import type { MigrationOffer as _zinc_v1_MigrationOffer, MigrationOffer__Output as _zinc_v1_MigrationOffer__Output } from './zinc/v1/MigrationOffer.js';
import type { MigrationPeerClient as _zinc_v1_MigrationPeerClient, MigrationPeerDefinition as _zinc_v1_MigrationPeerDefinition } from './zinc/v1/MigrationPeer.js';
import type { MigrationRef as _zinc_v1_MigrationRef, MigrationRef__Output as _zinc_v1_MigrationRef__Output } from './zinc/v1/MigrationRef.js';
import type { MigrationStatus as _zinc_v1_MigrationStatus, MigrationStatus__Output as _zinc_v1_MigrationStatus__Output } from './zinc/v1/MigrationStatus.js';
import type { MigrationSummary as _zinc_v1_MigrationSummary, MigrationSummary__Output as _zinc_v1_MigrationSummary__Output } from './zinc/v1/MigrationSummary.js';
import type { MigrationsClient as _zinc_v1_MigrationsClient, MigrationsDefinition as _zinc_v1_MigrationsDefinition } from './zinc/v1/Migrations.js';
import type { PlacementCandidate as _zinc_v1_PlacementCandidate, PlacementCandidate__Output as _zinc_v1_PlacementCandidate__Output } from './zinc/v1/PlacementCandidate.js';
import type { PlacementDecision as _zinc_v1_PlacementDecision, PlacementDecision__Output as _zinc_v1_PlacementDecision__Output } from './zinc/v1/PlacementDecision.js';
import type { PolicyClient as _zinc_v1_PolicyClient, PolicyDefinition as _zinc_v1_PolicyDefinition } from './zinc/v1/Policy.js';
import type { PolicyChain as _zinc_v1_PolicyChain, PolicyChain__Output as _zinc_v1_PolicyChain__Output } from './zinc/v1/PolicyChain.js';
import type { PolicyInfo as _zinc_v1_PolicyInfo, PolicyInfo__Output as _zinc_v1_PolicyInfo__Output } from './zinc/v1/PolicyInfo.js';
import type { PolicyReply as _zinc_v1_PolicyReply, PolicyReply__Output as _zinc_v1_PolicyReply__Output } from './zinc/v1/PolicyReply.js';
import type { PolicySetReply as _zinc_v1_PolicySetReply, PolicySetReply__Output as _zinc_v1_PolicySetReply__Output } from './zinc/v1/PolicySetReply.js';
import type { PolicySetRequest as _zinc_v1_PolicySetRequest, PolicySetRequest__Output as _zinc_v1_PolicySetRequest__Output } from './zinc/v1/PolicySetRequest.js';
import type { PolicyShowRequest as _zinc_v1_PolicyShowRequest, PolicyShowRequest__Output as _zinc_v1_PolicyShowRequest__Output } from './zinc/v1/PolicyShowRequest.js';
import type { PolicyStage as _zinc_v1_PolicyStage, PolicyStage__Output as _zinc_v1_PolicyStage__Output } from './zinc/v1/PolicyStage.js';
import type { ReceiveReply as _zinc_v1_ReceiveReply, ReceiveReply__Output as _zinc_v1_ReceiveReply__Output } from './zinc/v1/ReceiveReply.js';
import type { ReceiveRequest as _zinc_v1_ReceiveRequest, ReceiveRequest__Output as _zinc_v1_ReceiveRequest__Output } from './zinc/v1/ReceiveRequest.js';
import type { RestartReply as _zinc_v1_RestartReply, RestartReply__Output as _zinc_v1_RestartReply__Output } from './zinc/v1/RestartReply.js';
import type { RestartRequest as _zinc_v1_RestartRequest, RestartRequest__Output as _zinc_v1_RestartRequest__Output } from './zinc/v1/RestartRequest.js';
import type { SubmitReply as _zinc_v1_SubmitReply, SubmitReply__Output as _zinc_v1_SubmitReply__Output } from './zinc/v1/SubmitReply.js';
import type { SubmitRequest as _zinc_v1_SubmitRequest, SubmitRequest__Output as _zinc_v1_SubmitRequest__Output } from './zinc/v1/SubmitRequest.js';
import type { Usage as _zinc_v1_Usage, Usage__Output as _zinc_v1_Usage__Output } from './zinc/v1/Usage.js';
import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from './zinc/v1/Via.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  zinc: {
    v1: {
      AbortRequest: MessageTypeDefinition<_zinc_v1_AbortRequest, _zinc_v1_AbortRequest__Output>
      CheckpointReply: MessageTypeDefinition<_zinc_v1_CheckpointReply, _zinc_v1_CheckpointReply__Output>
      CheckpointRequest: MessageTypeDefinition<_zinc_v1_CheckpointRequest, _zinc_v1_CheckpointRequest__Output>
      Checkpoints: SubtypeConstructor<typeof grpc.Client, _zinc_v1_CheckpointsClient> & { service: _zinc_v1_CheckpointsDefinition }
      ControlAction: EnumTypeDefinition
      ControlRequest: MessageTypeDefinition<_zinc_v1_ControlRequest, _zinc_v1_ControlRequest__Output>
      DoctorCheck: MessageTypeDefinition<_zinc_v1_DoctorCheck, _zinc_v1_DoctorCheck__Output>
      DoctorReport: MessageTypeDefinition<_zinc_v1_DoctorReport, _zinc_v1_DoctorReport__Output>
      DrainReply: MessageTypeDefinition<_zinc_v1_DrainReply, _zinc_v1_DrainReply__Output>
      DrainRequest: MessageTypeDefinition<_zinc_v1_DrainRequest, _zinc_v1_DrainRequest__Output>
      Empty: MessageTypeDefinition<_zinc_v1_Empty, _zinc_v1_Empty__Output>
      ExitInfo: MessageTypeDefinition<_zinc_v1_ExitInfo, _zinc_v1_ExitInfo__Output>
      FetchChunk: MessageTypeDefinition<_zinc_v1_FetchChunk, _zinc_v1_FetchChunk__Output>
      Gossip: SubtypeConstructor<typeof grpc.Client, _zinc_v1_GossipClient> & { service: _zinc_v1_GossipDefinition }
      GossipAck: MessageTypeDefinition<_zinc_v1_GossipAck, _zinc_v1_GossipAck__Output>
      GossipEntry: MessageTypeDefinition<_zinc_v1_GossipEntry, _zinc_v1_GossipEntry__Output>
      GossipMessage: MessageTypeDefinition<_zinc_v1_GossipMessage, _zinc_v1_GossipMessage__Output>
      HelloReply: MessageTypeDefinition<_zinc_v1_HelloReply, _zinc_v1_HelloReply__Output>
      HostRecord: MessageTypeDefinition<_zinc_v1_HostRecord, _zinc_v1_HostRecord__Output>
      HostStatus: EnumTypeDefinition
      HostView: MessageTypeDefinition<_zinc_v1_HostView, _zinc_v1_HostView__Output>
      Hosts: SubtypeConstructor<typeof grpc.Client, _zinc_v1_HostsClient> & { service: _zinc_v1_HostsDefinition }
      HostsReply: MessageTypeDefinition<_zinc_v1_HostsReply, _zinc_v1_HostsReply__Output>
      HostsRequest: MessageTypeDefinition<_zinc_v1_HostsRequest, _zinc_v1_HostsRequest__Output>
      JobEvent: MessageTypeDefinition<_zinc_v1_JobEvent, _zinc_v1_JobEvent__Output>
      JobInfo: MessageTypeDefinition<_zinc_v1_JobInfo, _zinc_v1_JobInfo__Output>
      JobRef: MessageTypeDefinition<_zinc_v1_JobRef, _zinc_v1_JobRef__Output>
      JobReport: MessageTypeDefinition<_zinc_v1_JobReport, _zinc_v1_JobReport__Output>
      JobSpec: MessageTypeDefinition<_zinc_v1_JobSpec, _zinc_v1_JobSpec__Output>
      JobState: EnumTypeDefinition
      Jobs: SubtypeConstructor<typeof grpc.Client, _zinc_v1_JobsClient> & { service: _zinc_v1_JobsDefinition }
      ListReply: MessageTypeDefinition<_zinc_v1_ListReply, _zinc_v1_ListReply__Output>
      ListRequest: MessageTypeDefinition<_zinc_v1_ListRequest, _zinc_v1_ListRequest__Output>
      LogChunk: MessageTypeDefinition<_zinc_v1_LogChunk, _zinc_v1_LogChunk__Output>
      LogsRequest: MessageTypeDefinition<_zinc_v1_LogsRequest, _zinc_v1_LogsRequest__Output>
      MigrateProgress: MessageTypeDefinition<_zinc_v1_MigrateProgress, _zinc_v1_MigrateProgress__Output>
      MigrateRequest: MessageTypeDefinition<_zinc_v1_MigrateRequest, _zinc_v1_MigrateRequest__Output>
      MigrationAccept: MessageTypeDefinition<_zinc_v1_MigrationAccept, _zinc_v1_MigrationAccept__Output>
      MigrationOffer: MessageTypeDefinition<_zinc_v1_MigrationOffer, _zinc_v1_MigrationOffer__Output>
      MigrationPeer: SubtypeConstructor<typeof grpc.Client, _zinc_v1_MigrationPeerClient> & { service: _zinc_v1_MigrationPeerDefinition }
      MigrationRef: MessageTypeDefinition<_zinc_v1_MigrationRef, _zinc_v1_MigrationRef__Output>
      MigrationStatus: MessageTypeDefinition<_zinc_v1_MigrationStatus, _zinc_v1_MigrationStatus__Output>
      MigrationSummary: MessageTypeDefinition<_zinc_v1_MigrationSummary, _zinc_v1_MigrationSummary__Output>
      Migrations: SubtypeConstructor<typeof grpc.Client, _zinc_v1_MigrationsClient> & { service: _zinc_v1_MigrationsDefinition }
      PlacementCandidate: MessageTypeDefinition<_zinc_v1_PlacementCandidate, _zinc_v1_PlacementCandidate__Output>
      PlacementDecision: MessageTypeDefinition<_zinc_v1_PlacementDecision, _zinc_v1_PlacementDecision__Output>
      Policy: SubtypeConstructor<typeof grpc.Client, _zinc_v1_PolicyClient> & { service: _zinc_v1_PolicyDefinition }
      PolicyChain: MessageTypeDefinition<_zinc_v1_PolicyChain, _zinc_v1_PolicyChain__Output>
      PolicyInfo: MessageTypeDefinition<_zinc_v1_PolicyInfo, _zinc_v1_PolicyInfo__Output>
      PolicyReply: MessageTypeDefinition<_zinc_v1_PolicyReply, _zinc_v1_PolicyReply__Output>
      PolicySetReply: MessageTypeDefinition<_zinc_v1_PolicySetReply, _zinc_v1_PolicySetReply__Output>
      PolicySetRequest: MessageTypeDefinition<_zinc_v1_PolicySetRequest, _zinc_v1_PolicySetRequest__Output>
      PolicyShowRequest: MessageTypeDefinition<_zinc_v1_PolicyShowRequest, _zinc_v1_PolicyShowRequest__Output>
      PolicyStage: MessageTypeDefinition<_zinc_v1_PolicyStage, _zinc_v1_PolicyStage__Output>
      ReceiveReply: MessageTypeDefinition<_zinc_v1_ReceiveReply, _zinc_v1_ReceiveReply__Output>
      ReceiveRequest: MessageTypeDefinition<_zinc_v1_ReceiveRequest, _zinc_v1_ReceiveRequest__Output>
      RestartReply: MessageTypeDefinition<_zinc_v1_RestartReply, _zinc_v1_RestartReply__Output>
      RestartRequest: MessageTypeDefinition<_zinc_v1_RestartRequest, _zinc_v1_RestartRequest__Output>
      SubmitReply: MessageTypeDefinition<_zinc_v1_SubmitReply, _zinc_v1_SubmitReply__Output>
      SubmitRequest: MessageTypeDefinition<_zinc_v1_SubmitRequest, _zinc_v1_SubmitRequest__Output>
      Usage: MessageTypeDefinition<_zinc_v1_Usage, _zinc_v1_Usage__Output>
      Via: MessageTypeDefinition<_zinc_v1_Via, _zinc_v1_Via__Output>
    }
  }
}

