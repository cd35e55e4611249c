/* Shared between alloc.bpf.c and agent-lite's Profiler.java. */
#ifndef HEARTH_ALLOC_H
#define HEARTH_ALLOC_H

struct alloc_config {
	__u32 target_tgid;  /* 0: every process mapping the probed file */
	__u32 ustack_chunks;
};

/* In .data, mmapped: the adaptive controller changes it while running. */
struct alloc_settings {
	__u64 interval;     /* one sample every this many bytes per thread */
};

#endif
