// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CPU profiler: runs on each CPU_CLOCK perf-event sample and sends user space one ring-buffer
 * record with the kernel stack, the user registers and a copy of the top of the user stack.
 * User space unwinds the copy with .eh_frame CFI, so binaries without frame pointers unwind.
 * For CPython processes the agent registered, the interpreter's frame chain is read here too, so
 * Python frames describe the moment of the sample. */
#include "x86/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"
#include "sample.bpf.h"
#include "python.bpf.h"

/* Set before load, so the verifier prunes the filters that are off. */
const volatile struct profile_config cfg = {.ustack_chunks = USTACK_CHUNKS};

struct profile_counters counters = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

SEC("perf_event")
int on_cpu_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id;

	if (tid == 0) /* the idle task */
		return 0;
	if (cfg.target_tgid && tgid != cfg.target_tgid)
		return 0;
	if (cfg.self_tgid && tgid == cfg.self_tgid)
		return 0;
	if (cfg.target_cgroup_id && bpf_get_current_cgroup_id() != cfg.target_cgroup_id)
		return 0;

	struct cpu_sample *s = bpf_ringbuf_reserve(&events, sizeof(*s), 0);
	if (!s) {
		__sync_fetch_and_add(&counters.samples_dropped, 1);
		return 0;
	}
	sample_header(s, id, KIND_CPU);

	/* ctx->regs are the interrupted registers; the verifier allows only 8-byte loads here. */
	__u64 cs = *(__u64 *)&ctx->regs.cs;
	if ((cs & 3) == 0) {
		long n = bpf_get_stack(ctx, s->kstack, sizeof(s->kstack), 0);
		if (n > 0) {
			s->kstack_len = n;
			s->flags |= SAMPLE_KERNEL;
		}
	}

	sample_user(s, cfg.ustack_chunks);
	if (s->flags & SAMPLE_USER)
		sample_python(s, bpf_get_current_task_btf());

	bpf_ringbuf_submit(s, 0);
	__sync_fetch_and_add(&counters.samples_sent, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
