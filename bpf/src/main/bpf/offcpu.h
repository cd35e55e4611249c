/* Shared between offcpu.bpf.c and agent-lite's OffCpuSource.java. */
#ifndef HEARTH_OFFCPU_H
#define HEARTH_OFFCPU_H

struct offcpu_config {
	__u32 target_tgid;      /* 0: every process */
	__u32 self_tgid;        /* the agent itself, never recorded */
	__u64 target_cgroup_id; /* 0: every cgroup */
	__u64 min_block_ns;     /* shorter blocks are not counted */
	__u32 ustack_chunks;
	__u32 reserved;
};

/* In .data, mmapped: the adaptive controller changes it while running. */
struct offcpu_settings {
	__u32 one_in;           /* record one blocking episode in this many (1: all); values scaled */
	__u32 epoch;            /* bumped when the programs are attached again after a pause */
	__u64 seen;             /* blocking episodes begun (sampled or not) */
};

#endif
