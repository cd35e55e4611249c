// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CPU profiler: runs on each CPU_CLOCK perf-event sample and sends user space one ring-buffer
 * record with the kernel stack, the user registers and a copy of the top of the user stack.
 * User space unwinds the copy with .eh_frame CFI, so binaries without frame pointers unwind. */
#include "x86/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"

#define PF_KTHREAD 0x00200000

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
	s->pid = tgid;
	s->tid = tid;
	s->ts = bpf_ktime_get_boot_ns();
	s->cgroup_id = bpf_get_current_cgroup_id();
	s->cpu = bpf_get_smp_processor_id();
	s->flags = 0;
	s->kind = KIND_CPU;
	s->value = s->value2 = 0;
	s->ip = s->sp = s->bp = 0;
	s->ustack_len = 0;
	s->kstack_len = 0;
	bpf_get_current_comm(s->comm, sizeof(s->comm));

	/* ctx->regs are the interrupted registers; the verifier allows only 8-byte loads here. */
	__u64 cs = *(__u64 *)&ctx->regs.cs;
	if ((cs & 3) == 0) {
		long n = bpf_get_stack(ctx, s->kstack, sizeof(s->kstack), 0);
		if (n > 0) {
			s->kstack_len = n;
			s->flags |= SAMPLE_KERNEL;
		}
	}

	struct task_struct *task = bpf_get_current_task_btf();
	if (!(task->flags & PF_KTHREAD)) {
		/* The user registers, valid whether the sample hit user or kernel code. */
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
		s->ip = BPF_CORE_READ(regs, ip);
		s->sp = BPF_CORE_READ(regs, sp);
		s->bp = BPF_CORE_READ(regs, bp);
		s->flags |= SAMPLE_USER;
		__u32 copied = 0;
		for (__u32 i = 0; i < USTACK_CHUNKS; i++) {
			if (i >= cfg.ustack_chunks)
				break;
			if (bpf_probe_read_user(s->ustack + i * USTACK_CHUNK, USTACK_CHUNK,
						(void *)(s->sp + i * USTACK_CHUNK)))
				break;
			copied += USTACK_CHUNK;
		}
		s->ustack_len = copied;
	}

	bpf_ringbuf_submit(s, 0);
	__sync_fetch_and_add(&counters.samples_sent, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
