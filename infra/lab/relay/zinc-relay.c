/*
 * zinc-relay: a transparent L2 relay that holds every frame for a fixed one-way delay.
 *
 * The lab's kernel has tbf but no netem, so WAN latency is made here, in userspace. The relay
 * lives in its own network namespace with two interfaces (veth ends without addresses). It reads
 * every frame arriving on one interface through an AF_PACKET socket, stamps it with
 * "now + delay", and sends it out of the other interface once that moment has come. Frames are
 * kept in arrival order; since the delay is the same for every frame of a direction, arrival
 * order is also deadline order, so a FIFO per direction and one timerfd are enough.
 *
 * PACKET_VNET_HDR carries the kernel's offload metadata (GSO size, partial checksum) with each
 * frame, so TSO super-frames and CHECKSUM_PARTIAL packets cross the relay intact: no need to
 * switch offloads off on any interface, and far fewer frames to move per byte.
 *
 * Control: SIGUSR1 cuts the link (every arriving frame is dropped, silently, in both
 * directions), SIGUSR2 heals it, SIGHUP prints counters, SIGTERM/SIGINT print counters and exit.
 *
 * --rt-priority N runs it SCHED_FIFO: on a busy machine a normal-priority relay is woken late
 * and adds tens of milliseconds of jitter to the link. It only runs briefly per frame, but should
 * it ever run 200 ms without sleeping (a flood on an unshaped link), RLIMIT_RTTIME's SIGXCPU makes
 * it drop back to normal scheduling rather than starve the machine.
 *
 * usage: zinc-relay --a IF --b IF [--netns PATH] [--delay-us N] [--queue-bytes N]
 *                   [--ready-fd FD] [--cut] [--rt-priority N]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

/* A GSO super-frame is at most 64 KiB of IP plus link headers, plus the virtio header. */
#define FRAME_MAX (65536 + 64 + sizeof(struct virtio_net_hdr))
#define WRAP_MARK UINT32_MAX
#define RX_BATCH 256

struct entry {
	uint64_t due_ns;
	uint32_t len;  /* bytes of frame that follow, or WRAP_MARK: continue at offset 0 */
	uint32_t pad;
};

/* A byte ring of entries. Entries never straddle the end: a WRAP_MARK sends the reader back. */
struct queue {
	uint8_t *buf;
	size_t cap;
	size_t head; /* next entry to send */
	size_t tail; /* where the next entry goes */
	size_t used; /* bytes between head and tail, counting skipped tails */
	uint64_t frames_in, frames_out, bytes_out, drop_full, drop_cut, drop_tx;
};

struct side {
	const char *ifname;
	int fd;
	bool blocked; /* last send returned EAGAIN: wait for POLLOUT */
};

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char line[512];
	int n = snprintf(line, sizeof line, "%lld.%03ld zinc-relay[%d]: ", (long long)ts.tv_sec,
			 ts.tv_nsec / 1000000, (int)getpid());
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof line)
		vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
}

static void die(const char *what)
{
	logf_("error: %s: %s", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static bool queue_push(struct queue *q, const uint8_t *frame, uint32_t len, uint64_t due)
{
	size_t need = sizeof(struct entry) + align8(len);
	size_t room_end = q->cap - q->tail;
	size_t skip = 0;
	if (room_end < need) {
		/* Not enough room before the end: the rest of the buffer is skipped (if the reader is
		 * not in it) and the entry starts again at 0. */
		skip = room_end;
	}
	if (q->used + skip + need > q->cap) {
		q->drop_full++;
		return false;
	}
	if (skip) {
		if (room_end >= sizeof(struct entry)) {
			struct entry *w = (struct entry *)(q->buf + q->tail);
			w->len = WRAP_MARK;
		}
		q->used += skip;
		q->tail = 0;
	}
	struct entry *e = (struct entry *)(q->buf + q->tail);
	e->due_ns = due;
	e->len = len;
	memcpy(q->buf + q->tail + sizeof(struct entry), frame, len);
	q->tail += need;
	if (q->tail == q->cap)
		q->tail = 0;
	q->used += need;
	q->frames_in++;
	return true;
}

/* The entry at head, after following a wrap; NULL if the queue is empty. */
static struct entry *queue_front(struct queue *q)
{
	if (q->used == 0)
		return NULL;
	size_t room_end = q->cap - q->head;
	if (room_end < sizeof(struct entry) || ((struct entry *)(q->buf + q->head))->len == WRAP_MARK) {
		q->used -= room_end;
		q->head = 0;
		if (q->used == 0)
			return NULL;
	}
	return (struct entry *)(q->buf + q->head);
}

static void queue_pop(struct queue *q)
{
	struct entry *e = (struct entry *)(q->buf + q->head);
	size_t n = sizeof(struct entry) + align8(e->len);
	q->head += n;
	if (q->head == q->cap)
		q->head = 0;
	q->used -= n;
}

static int open_side(const char *ifname)
{
	unsigned idx = if_nametoindex(ifname);
	if (idx == 0) {
		logf_("error: no interface %s in this network namespace", ifname);
		exit(1);
	}
	/* Protocol 0 at creation so that nothing is queued before bind narrows it to one interface. */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket(AF_PACKET)");
	int one = 1;
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0)
		die("PACKET_VNET_HDR");
	/* Our own transmissions are looped back to packet taps; relaying them again would loop. */
	if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) < 0)
		die("PACKET_IGNORE_OUTGOING");
	int buf = 8 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
	struct sockaddr_ll sll = {0};
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)idx;
	if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0)
		die("bind(AF_PACKET)");
	/* Frames for the far side carry its MAC address, not ours. */
	struct packet_mreq mr = {0};
	mr.mr_ifindex = (int)idx;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0)
		die("PACKET_ADD_MEMBERSHIP");
	return fd;
}

static void print_stats(const char *tag, struct queue q[2], struct side s[2])
{
	for (int d = 0; d < 2; d++) {
		logf_("%s %s->%s in=%" PRIu64 " out=%" PRIu64 " bytes=%" PRIu64 " drop_full=%" PRIu64
		      " drop_cut=%" PRIu64 " drop_tx=%" PRIu64 " queued_bytes=%zu",
		      tag, s[d].ifname, s[1 - d].ifname, q[d].frames_in, q[d].frames_out, q[d].bytes_out,
		      q[d].drop_full, q[d].drop_cut, q[d].drop_tx, q[d].used);
	}
}

/* Read everything waiting on side `from` into queue `q`. */
static void drain_rx(struct side *from, struct queue *q, uint64_t delay_ns, bool cut, uint8_t *scratch)
{
	for (int i = 0; i < RX_BATCH; i++) {
		ssize_t n = recv(from->fd, scratch, FRAME_MAX, MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			if (errno == ENETDOWN)
				return;
			die("recv");
		}
		if ((size_t)n > FRAME_MAX) {
			q->drop_full++;
			continue;
		}
		if (cut) {
			q->drop_cut++;
			continue;
		}
		(void)queue_push(q, scratch, (uint32_t)n, now_ns() + delay_ns);
	}
}

/* Send every frame of `q` that is due out of side `to`. */
static void flush_tx(struct side *to, struct queue *q)
{
	uint64_t now = now_ns();
	for (;;) {
		struct entry *e = queue_front(q);
		if (!e || e->due_ns > now)
			return;
		ssize_t n = send(to->fd, (uint8_t *)e + sizeof *e, e->len, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				to->blocked = true;
				return;
			}
			if (errno == EINTR)
				continue;
			/* ENOBUFS (queue overflow), EMSGSIZE, ENETDOWN: the frame is lost, like on a wire. */
			q->drop_tx++;
		} else {
			q->frames_out++;
			q->bytes_out += e->len;
		}
		queue_pop(q);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: zinc-relay --a IF --b IF [--netns PATH] [--delay-us N] [--queue-bytes N]"
			" [--ready-fd FD] [--cut] [--rt-priority N]\n");
	exit(2);
}

static unsigned long long parse_num(const char *s, const char *what)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || !end || *end || s[0] == '-') {
		fprintf(stderr, "zinc-relay: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *netns = NULL;
	struct side side[2] = {{.ifname = NULL, .fd = -1}, {.ifname = NULL, .fd = -1}};
	uint64_t delay_ns = 0;
	size_t queue_bytes = 64u << 20;
	int ready_fd = -1;
	bool cut = false;
	int rt_priority = 0;

	static const struct option opts[] = {
		{"netns", required_argument, NULL, 'n'},  {"a", required_argument, NULL, 'a'},
		{"b", required_argument, NULL, 'b'},      {"delay-us", required_argument, NULL, 'd'},
		{"queue-bytes", required_argument, NULL, 'q'}, {"ready-fd", required_argument, NULL, 'r'},
		{"cut", no_argument, NULL, 'c'},          {"rt-priority", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': netns = optarg; break;
		case 'a': side[0].ifname = optarg; break;
		case 'b': side[1].ifname = optarg; break;
		case 'd': delay_ns = parse_num(optarg, "--delay-us") * 1000ull; break;
		case 'q': queue_bytes = (size_t)parse_num(optarg, "--queue-bytes"); break;
		case 'r': ready_fd = (int)parse_num(optarg, "--ready-fd"); break;
		case 'c': cut = true; break;
		case 'p': rt_priority = (int)parse_num(optarg, "--rt-priority"); break;
		default: usage();
		}
	}
	if (optind != argc || !side[0].ifname || !side[1].ifname)
		usage();
	if (queue_bytes < 2 * FRAME_MAX)
		queue_bytes = 2 * FRAME_MAX;
	queue_bytes = align8(queue_bytes);

	if (netns) {
		int nfd = open(netns, O_RDONLY | O_CLOEXEC);
		if (nfd < 0)
			die("open netns");
		if (setns(nfd, CLONE_NEWNET) < 0)
			die("setns");
		close(nfd);
	}
	/* Default timer slack (50 us) would add jitter to every frame's delay. */
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigaddset(&mask, SIGXCPU);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		die("sigprocmask");
	int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		die("signalfd");
	if (rt_priority > 0) {
		struct rlimit rl = {.rlim_cur = 200000, .rlim_max = RLIM_INFINITY};
		struct sched_param sp = {.sched_priority = rt_priority};
		if (setrlimit(RLIMIT_RTTIME, &rl) < 0 ||
		    sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) < 0)
			logf_("warning: cannot run SCHED_FIFO %d (%s); link delay will jitter under load",
			      rt_priority, strerror(errno));
	}
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (tfd < 0)
		die("timerfd_create");

	for (int d = 0; d < 2; d++)
		side[d].fd = open_side(side[d].ifname);

	/* q[0]: frames that arrived on a, to leave by b; q[1]: the reverse. Pages are only touched
	 * as the queue fills, so a large capacity costs nothing on an idle link. */
	struct queue q[2];
	memset(q, 0, sizeof q);
	for (int d = 0; d < 2; d++) {
		q[d].cap = queue_bytes;
		q[d].buf = malloc(queue_bytes);
		if (!q[d].buf)
			die("malloc");
	}
	uint8_t *scratch = malloc(FRAME_MAX);
	if (!scratch)
		die("malloc");

	logf_("relaying %s <-> %s, one-way delay %" PRIu64 " us, queue %zu bytes per direction%s",
	      side[0].ifname, side[1].ifname, delay_ns / 1000, queue_bytes, cut ? ", link cut" : "");
	if (ready_fd >= 0) {
		static const char ready[] = "ready\n";
		if (write(ready_fd, ready, sizeof ready - 1) < 0)
			logf_("warning: ready-fd write failed: %s", strerror(errno));
		close(ready_fd);
	}

	uint64_t armed = 0;
	for (;;) {
		/* Arm the timer for the earliest due frame, if it changed. */
		uint64_t next = 0;
		for (int d = 0; d < 2; d++) {
			struct entry *e = side[1 - d].blocked ? NULL : queue_front(&q[d]);
			if (e && (next == 0 || e->due_ns < next))
				next = e->due_ns;
		}
		if (next != armed) {
			struct itimerspec its = {0};
			if (next) {
				its.it_value.tv_sec = (time_t)(next / 1000000000ull);
				its.it_value.tv_nsec = (long)(next % 1000000000ull);
			}
			if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
				die("timerfd_settime");
			armed = next;
		}

		struct pollfd p[4] = {
			{.fd = side[0].fd, .events = (short)(POLLIN | (side[0].blocked ? POLLOUT : 0))},
			{.fd = side[1].fd, .events = (short)(POLLIN | (side[1].blocked ? POLLOUT : 0))},
			{.fd = tfd, .events = POLLIN},
			{.fd = sfd, .events = POLLIN},
		};
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}

		if (p[3].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
				switch (si.ssi_signo) {
				case SIGUSR1:
					cut = true;
					logf_("link cut: dropping every frame");
					break;
				case SIGUSR2:
					cut = false;
					logf_("link healed");
					break;
				case SIGHUP:
					print_stats("stats", q, side);
					break;
				case SIGXCPU: {
					struct sched_param sp0 = {.sched_priority = 0};
					if (sched_setscheduler(0, SCHED_OTHER, &sp0) == 0)
						logf_("busy for 200 ms without a pause: dropped to normal scheduling");
					break;
				}
				default:
					print_stats("exit", q, side);
					return 0;
				}
			}
		}
		if (p[2].revents & POLLIN) {
			uint64_t expirations;
			(void)!read(tfd, &expirations, sizeof expirations);
			armed = 0; /* one-shot timer has fired */
		}
		for (int d = 0; d < 2; d++) {
			if (p[d].revents & POLLOUT)
				side[d].blocked = false;
			if (p[d].revents & POLLIN)
				drain_rx(&side[d], &q[d], delay_ns, cut, scratch);
			if (p[d].revents & (POLLERR | POLLHUP)) {
				/* e.g. ENETDOWN while the peer is being deleted: clear the error and go on. */
				int err = 0;
				socklen_t len = sizeof err;
				(void)getsockopt(side[d].fd, SOL_SOCKET, SO_ERROR, &err, &len);
			}
		}
		for (int d = 0; d < 2; d++) {
			if (!side[1 - d].blocked)
				flush_tx(&side[1 - d], &q[d]);
		}
	}
}
