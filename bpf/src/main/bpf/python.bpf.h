/* Reads the sampled thread's CPython frame chain at sample time: _PyRuntime → interpreter →
 * the thread state whose thread_id is this thread's pthread_self() (its fsbase) → current frame →
 * previous ... Records the code object and instruction pointer of each frame. */
#ifndef HEARTH_PYTHON_BPF_H
#define HEARTH_PYTHON_BPF_H

#include "python.h"

#define FRAME_OWNED_BY_CSTACK 3

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct py_proc);
} py_procs SEC(".maps");

static __always_inline __u64 py_word(const __u8 *buf, __u16 off)
{
	__u64 v = 0;
	if (off <= PY_FRAME_READ - 8)
		__builtin_memcpy(&v, buf + (off & (PY_FRAME_READ - 1)), 8);
	return v;
}

static __always_inline __u8 py_byte(const __u8 *buf, __u16 off)
{
	if (off >= PY_FRAME_READ)
		return 0;
	return buf[off & (PY_FRAME_READ - 1)];
}

static __always_inline void sample_python(struct cpu_sample *s, struct task_struct *task)
{
	__u32 pid = s->pid;
	struct py_proc *pp = bpf_map_lookup_elem(&py_procs, &pid);
	if (!pp)
		return;
	__u64 fsbase = BPF_CORE_READ(task, thread.fsbase);
	__u64 interp = 0, tstate = 0;
	if (bpf_probe_read_user(&interp, 8, (void *)(pp->runtime + pp->interp_head)) || !interp)
		return;
	if (bpf_probe_read_user(&tstate, 8, (void *)(interp + pp->threads_head)))
		return;
	for (int i = 0; i < PY_MAX_THREADS && tstate; i++) {
		__u64 tid = 0;
		if (bpf_probe_read_user(&tid, 8, (void *)(tstate + pp->tstate_thread_id)))
			return;
		if (tid == fsbase)
			break;
		if (bpf_probe_read_user(&tstate, 8, (void *)(tstate + pp->tstate_next)))
			return;
	}
	if (!tstate)
		return;
	__u64 frame = 0;
	if (bpf_probe_read_user(&frame, 8, (void *)(tstate + pp->tstate_frame)))
		return;
	if (pp->cframe_frame != PY_NONE && frame &&
	    bpf_probe_read_user(&frame, 8, (void *)(frame + pp->cframe_frame)))
		return;
	s->lang_kind = LANG_PYTHON;
	__u8 buf[PY_FRAME_READ];
	__u32 n = 0;
	for (int i = 0; i < LANG_DEPTH && frame; i++) {
		if (bpf_probe_read_user(buf, sizeof(buf), (void *)frame))
			break;
		__u64 code = py_word(buf, pp->frame_code);
		if (pp->frame_is_entry != PY_NONE && py_byte(buf, pp->frame_is_entry))
			code |= 1;
		if (pp->frame_owner != PY_NONE && py_byte(buf, pp->frame_owner) == FRAME_OWNED_BY_CSTACK)
			code |= 2;
		struct lang_frame *f = &s->lang[n & (LANG_DEPTH - 1)];
		f->code = code;
		f->instr = py_word(buf, pp->frame_instr);
		n++;
		frame = py_word(buf, pp->frame_previous);
	}
	s->lang_len = n;
}

#endif
