/* Shared between blockio.bpf.c and agent-lite's Profiler.java. */
#ifndef HEARTH_BLOCKIO_H
#define HEARTH_BLOCKIO_H

struct blockio_config {
	__u32 target_tgid;      /* 0: every process */
	__u32 self_tgid;        /* the agent itself, never recorded */
	__u64 target_cgroup_id; /* 0: every cgroup */
	__u32 ustack_chunks;
	__u32 reserved;
};

#endif
