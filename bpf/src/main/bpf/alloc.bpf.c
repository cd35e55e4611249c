// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* BPF_KPROBE/BPF_KRETPROBE only unpack pt_regs arguments; they serve uprobes alike.
 * Allocation profiler: uprobes on malloc, calloc, realloc and free of one process. Sampled by
 * bytes: each thread counts down the bytes it allocates and takes a sample when the count passes
 * zero (then adds the interval again), so a sample stands for interval bytes. A sample is sent at
 * the allocator's return with the address, the user registers and the stack copy; sampled
 * addresses are remembered so their free is sent too (in-use memory). */
#include "x86/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"
#include "alloc.h"
#include "sample.bpf.h"

const volatile struct alloc_config cfg = {.ustack_chunks = USTACK_CHUNKS};
struct alloc_settings settings = {.interval = 512 * 1024};
struct profile_counters counters = {};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);   /* tid */
	__type(value, __s64); /* bytes left before the next sample */
} countdown SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);   /* tid */
	__type(value, __u64); /* size of the sampled allocation in flight */
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 262144);
	__type(key, __u64);   /* address of a sampled, live allocation */
	__type(value, __u8);
} live SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

static __always_inline bool mine(__u64 id)
{
	return !cfg.target_tgid || (id >> 32) == cfg.target_tgid;
}

static __always_inline void entered(__u64 size)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!mine(id) || size == 0)
		return;
	__u32 tid = (__u32)id;
	__s64 interval = settings.interval ? settings.interval : 1;
	__s64 *left = bpf_map_lookup_elem(&countdown, &tid);
	if (!left) {
		/* A new thread starts part-way (by its tid) so threads do not sample in step. */
		__s64 start = interval - (__s64)(size % interval) + (tid % 1024);
		bpf_map_update_elem(&countdown, &tid, &start, BPF_ANY);
		left = bpf_map_lookup_elem(&countdown, &tid);
		if (!left)
			return;
	}
	*left -= size;
	if (*left > 0)
		return;
	/* One sample, however many intervals this allocation spans (user space scales by size). */
	__u64 deficit = -*left;
	*left += (deficit / (__u64)interval + 1) * interval;
	bpf_map_update_elem(&inflight, &tid, &size, BPF_ANY);
}

static __always_inline void freed(__u64 addr)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!mine(id) || addr == 0)
		return;
	if (!bpf_map_lookup_elem(&live, &addr))
		return;
	bpf_map_delete_elem(&live, &addr);
	struct cpu_sample *s = bpf_ringbuf_reserve(&events, HEADER_SIZE, 0);
	if (!s) {
		__sync_fetch_and_add(&counters.samples_dropped, 1);
		return;
	}
	sample_header(s, id, KIND_FREE);
	s->value2 = addr;
	bpf_ringbuf_submit(s, 0);
}

SEC("uprobe")
int BPF_KPROBE(on_malloc, size_t size)
{
	entered(size);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(on_calloc, size_t n, size_t size)
{
	entered(n * size);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(on_realloc, void *ptr, size_t size)
{
	freed((__u64)ptr);
	entered(size);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(on_free, void *ptr)
{
	freed((__u64)ptr);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_alloc_return, void *ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!mine(id))
		return 0;
	__u32 tid = (__u32)id;
	__u64 *size = bpf_map_lookup_elem(&inflight, &tid);
	if (!size)
		return 0;
	__u64 bytes = *size;
	bpf_map_delete_elem(&inflight, &tid);
	__u64 addr = (__u64)ret;
	if (!addr)
		return 0;
	struct cpu_sample *s = bpf_ringbuf_reserve(&events, sizeof(*s), 0);
	if (!s) {
		__sync_fetch_and_add(&counters.samples_dropped, 1);
		return 0;
	}
	sample_header(s, id, KIND_ALLOC);
	s->value = bytes;
	s->value2 = addr;
	s->period = settings.interval;
	sample_user(s, cfg.ustack_chunks);
	bpf_ringbuf_submit(s, 0);
	__sync_fetch_and_add(&counters.samples_sent, 1);
	__u8 one = 1;
	bpf_map_update_elem(&live, &addr, &one, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
