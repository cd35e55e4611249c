// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Off-CPU profiler. tp_btf/sched_switch: when a user task blocks (switches out not runnable) its
 * kernel stack, user registers and the time go into a per-thread entry; when it is switched in
 * again the blocked time is added (if at least min_block_ns). The record goes out at the next
 * syscall exit, in the thread's own context, so the user stack can be copied there: a blocked
 * thread's user stack is exactly as it was when it entered the syscall. */
#include "x86/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"
#include "offcpu.h"
#include "sample.bpf.h"

const volatile struct offcpu_config cfg = {.ustack_chunks = USTACK_CHUNKS, .min_block_ns = 1000000};

struct profile_counters counters = {};
struct offcpu_settings settings = {.one_in = 1};

struct blocked {
	__u64 since;      /* switched out at (boot ns); 0 while running */
	__u64 total;      /* blocked ns counted so far */
	__u64 ip, sp, bp; /* user registers when it first blocked */
	__u32 kstack_len;
	__u32 one_in;     /* the sampling in force when the episode began */
	__u32 epoch;      /* settings.epoch then: entries from before a pause are stale */
	__u32 reserved2;
	__u64 kstack[KSTACK_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct blocked);
} blocked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct blocked);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

static __always_inline bool wanted(struct task_struct *t)
{
	__u32 tgid = t->tgid, tid = t->pid;
	if (tid == 0 || (t->flags & PF_KTHREAD))
		return false;
	if (cfg.target_tgid && tgid != cfg.target_tgid)
		return false;
	if (cfg.self_tgid && tgid == cfg.self_tgid)
		return false;
	return true;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 now = bpf_ktime_get_boot_ns();
	__u32 zero = 0;

	/* prev is current: record why and where it stops, if it blocks. */
	if (prev_state != 0 && wanted(prev) &&
	    !(cfg.target_cgroup_id && bpf_get_current_cgroup_id() != cfg.target_cgroup_id)) {
		__u32 tid = prev->pid;
		struct blocked *b = bpf_map_lookup_elem(&blocked, &tid);
		if (b && b->epoch != settings.epoch) {
			bpf_map_delete_elem(&blocked, &tid);
			b = 0;
		}
		if (b) {
			b->since = now;
		} else {
			/* A new episode: sampled one in N here, before the costly stack walk. */
			__u32 one_in = settings.one_in;
			__u64 seen = __sync_fetch_and_add(&settings.seen, 1);
			struct blocked *n = 0;
			if (one_in <= 1 || seen % one_in == 0)
				n = bpf_map_lookup_elem(&scratch, &zero);
			if (n) {
				n->one_in = one_in > 1 ? one_in : 1;
				n->epoch = settings.epoch;
				n->since = now;
				n->total = 0;
				long k = bpf_get_stack(ctx, n->kstack, sizeof(n->kstack), 0);
				n->kstack_len = k > 0 ? k : 0;
				struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(prev);
				n->ip = BPF_CORE_READ(regs, ip);
				n->sp = BPF_CORE_READ(regs, sp);
				n->bp = BPF_CORE_READ(regs, bp);
				bpf_map_update_elem(&blocked, &tid, n, BPF_ANY);
			}
		}
	}

	/* next runs again: count the time it was blocked. */
	__u32 ntid = next->pid;
	struct blocked *b = bpf_map_lookup_elem(&blocked, &ntid);
	if (b && b->epoch != settings.epoch) {
		bpf_map_delete_elem(&blocked, &ntid);
		return 0;
	}
	if (b && b->since) {
		__u64 d = now - b->since;
		if (d >= cfg.min_block_ns)
			b->total += d;
		b->since = 0;
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct blocked *b = bpf_map_lookup_elem(&blocked, &tid);
	if (!b || b->since)
		return 0;
	if (b->epoch != settings.epoch) {
		bpf_map_delete_elem(&blocked, &tid);
		return 0;
	}
	if (b->total == 0) {
		bpf_map_delete_elem(&blocked, &tid);
		return 0;
	}
	struct cpu_sample *s = bpf_ringbuf_reserve(&events, sizeof(*s), 0);
	if (!s) {
		__sync_fetch_and_add(&counters.samples_dropped, 1);
		bpf_map_delete_elem(&blocked, &tid);
		return 0;
	}
	sample_header(s, id, KIND_OFF_CPU);
	s->value = b->total;
	s->period = b->one_in;
	__u32 klen = b->kstack_len;
	if (klen > sizeof(s->kstack))
		klen = sizeof(s->kstack);
	bpf_probe_read_kernel(s->kstack, sizeof(s->kstack), b->kstack);
	s->kstack_len = klen;
	if (klen)
		s->flags |= SAMPLE_KERNEL;
	sample_user(s, cfg.ustack_chunks);
	if (s->sp != b->sp) {
		/* It blocked outside this syscall (a page fault): keep only where it was. */
		s->ip = b->ip;
		s->sp = b->sp;
		s->bp = b->bp;
		s->ustack_len = 0;
	}
	bpf_ringbuf_submit(s, 0);
	__sync_fetch_and_add(&counters.samples_sent, 1);
	bpf_map_delete_elem(&blocked, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
