/* Helpers shared by the event programs: fill the record header, copy the user registers and the
 * top of the user stack exactly as the CPU profiler does, so user space unwinds every kind alike. */
#ifndef HEARTH_SAMPLE_BPF_H
#define HEARTH_SAMPLE_BPF_H

#define PF_KTHREAD 0x00200000

static __always_inline void sample_header(struct cpu_sample *s, __u64 id, __u32 kind)
{
	s->pid = id >> 32;
	s->tid = (__u32)id;
	s->ts = bpf_ktime_get_boot_ns();
	s->cgroup_id = bpf_get_current_cgroup_id();
	s->cpu = bpf_get_smp_processor_id();
	s->flags = 0;
	s->kind = kind;
	s->value = s->value2 = 0;
	s->period = 0;
	s->ip = s->sp = s->bp = 0;
	s->ustack_len = 0;
	s->kstack_len = 0;
	bpf_get_current_comm(s->comm, sizeof(s->comm));
}

/* The current task's user registers and up to chunks * USTACK_CHUNK bytes of stack from sp. */
static __always_inline void sample_user(struct cpu_sample *s, __u32 chunks)
{
	s->lang_len = 0;
	s->lang_kind = LANG_NONE;
	struct task_struct *task = bpf_get_current_task_btf();
	if (task->flags & PF_KTHREAD)
		return;
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	s->ip = BPF_CORE_READ(regs, ip);
	s->sp = BPF_CORE_READ(regs, sp);
	s->bp = BPF_CORE_READ(regs, bp);
	s->flags |= SAMPLE_USER;
	__u32 copied = 0;
	for (__u32 i = 0; i < USTACK_CHUNKS; i++) {
		if (i >= chunks)
			break;
		if (bpf_probe_read_user(s->ustack + i * USTACK_CHUNK, USTACK_CHUNK,
					(void *)(s->sp + i * USTACK_CHUNK)))
			break;
		copied += USTACK_CHUNK;
	}
	s->ustack_len = copied;
}

#endif
