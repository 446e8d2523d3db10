/**
 * Every gRPC tuning knob zinc uses, in one place. Both ends of every channel (CLI↔zincd over the
 * unix socket, zincd↔zincd over TCP) take their options from here.
 */
import type { ChannelOptions } from '@grpc/grpc-js';

/** Largest single message. Archive chunks are far smaller; a gossip message for 10,000 hosts is
 * ~2 MiB; leave headroom so a big grid never fails on message size. */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Ping an idle peer connection every 10 s so a vanished peer (crash, cut cable) is noticed within
 * ~15 s even when no call is active, instead of after the kernel's TCP timeout (minutes). */
export const KEEPALIVE_TIME_MS = 10_000;

/** How long to wait for a ping's answer before declaring the connection dead. */
export const KEEPALIVE_TIMEOUT_MS = 5_000;

/** Servers accept pings this often; must not be stricter than the clients' KEEPALIVE_TIME_MS, or
 * grpc-js servers answer with GOAWAY "too_many_pings". */
export const SERVER_MIN_PING_INTERVAL_MS = 5_000;

/** Deadline for short control calls between daemons (submit, show, control, gossip). Long calls
 * (wait, logs -f, migration streams) set none and rely on keepalive instead. */
export const PEER_CALL_TIMEOUT_MS = 10_000;

/** Deadline for one gossip push: a round is ~1 s, a push that takes longer is useless. */
export const GOSSIP_CALL_TIMEOUT_MS = 3_000;

/** Deadline for the CLI's unary calls to its local daemon. */
export const LOCAL_CALL_TIMEOUT_MS = 60_000;

/** How many times a request may be forwarded between daemons before it is refused (loop guard). */
export const MAX_FORWARD_HOPS = 4;

export const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS,
  'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  'grpc.keepalive_permit_without_calls': 1,
  // Reconnect quickly after a peer daemon restarts; the default backoff grows to 2 minutes.
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 5_000,
};

export const SERVER_OPTIONS: ChannelOptions = {
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS,
  'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': SERVER_MIN_PING_INTERVAL_MS,
};
