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

/** How long to wait for a ping's answer before declaring the connection dead. A ping queues
 * behind whatever DATA is already buffered for the connection (up to FLOW_CONTROL_WINDOW), so on a
 * slow link the answer can take (window ÷ rate) seconds: 4 MiB at 2 Mbit/s is ~17 s. */
export const KEEPALIVE_TIMEOUT_MS = 20_000;

/** Servers accept pings this often; must not be stricter than the clients' KEEPALIVE_TIME_MS, or
 * grpc-js servers answer with GOAWAY "too_many_pings". */
export const SERVER_MIN_PING_INTERVAL_MS = 5_000;

/** Deadline for short control calls between daemons (submit, show, control, gossip). Long calls
 * (wait, logs -f, migration streams) set none and rely on keepalive instead. */
export const PEER_CALL_TIMEOUT_MS = 10_000;

/** Deadline for a forwarded submit: user lookup, a few fsyncs and starting the supervisor can
 * take seconds on a loaded host. A submit that outlives it is found by its GPID, not retried. */
export const SUBMIT_CALL_TIMEOUT_MS = 30_000;

/** Deadline for one gossip push: a round is ~1 s, a push that takes longer is useless. */
export const GOSSIP_CALL_TIMEOUT_MS = 3_000;

/** Deadline for the CLI's unary calls to its local daemon. */
export const LOCAL_CALL_TIMEOUT_MS = 60_000;

/** How many times a request may be forwarded between daemons before it is refused (loop guard). */
export const MAX_FORWARD_HOPS = 4;

/** HTTP/2 receive window for every channel a daemon or the CLI opens. The default 64 KiB caps a
 * stream at 64 KiB per round trip (≈ 640 KB/s on a 100 ms WAN); 4 MiB covers the bandwidth-delay
 * product of 100 Mbit/s at 320 ms. It must not be much larger: the sender queues up to a window of
 * DATA inside the process, and keepalive PINGs wait behind it (see KEEPALIVE_TIMEOUT_MS).
 * Migration archives are pulled by the destination (a client-side receive), because grpc-js
 * applies this window on the client side only. */
export const FLOW_CONTROL_WINDOW = 4 * 1024 * 1024;

/** Archive chunk size on the wire: large enough that per-message overhead is negligible, small
 * enough to keep many in flight within the window. */
export const ARCHIVE_CHUNK_BYTES = 1024 * 1024;

/** Memory an HTTP/2 session may buffer, in MiB (grpc-js default 10). Must exceed what a large
 * window lets a peer send before the application reads it. */
export const MAX_SESSION_MEMORY_MB = 128;

export const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS,
  'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  'grpc.keepalive_permit_without_calls': 1,
  // Reconnect quickly after a peer daemon restarts; the default backoff grows to 2 minutes.
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 5_000,
  'grpc-node.flow_control_window': FLOW_CONTROL_WINDOW,
  'grpc-node.max_session_memory': MAX_SESSION_MEMORY_MB,
};

export const SERVER_OPTIONS: ChannelOptions = {
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS,
  'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': SERVER_MIN_PING_INTERVAL_MS,
  'grpc-node.max_session_memory': MAX_SESSION_MEMORY_MB,
};
