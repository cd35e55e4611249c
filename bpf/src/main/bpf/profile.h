/* Shared between the BPF programs and agent-lite's CpuSample.java: layout of one ring-buffer
 * record. agent-lite's RecordLayoutTest compiles this header and compares every offset with the
 * Java constants. */
#ifndef HEARTH_PROFILE_H
#define HEARTH_PROFILE_H

#define TASK_COMM_LEN 16
#define KSTACK_DEPTH 64        /* kernel frames kept per sample */
#define USTACK_CHUNK 512       /* one bpf_probe_read_user; a 16 KiB read fails whole at the stack top */
#define USTACK_CHUNKS 32       /* 16 KiB of user stack at most */
#define USTACK_MAX (USTACK_CHUNK * USTACK_CHUNKS)
#define LANG_DEPTH 128         /* interpreter frames kept per sample (leaf first) */

#define SAMPLE_USER 1          /* ip/sp/bp and the stack copy are user-space state */
#define SAMPLE_KERNEL 2        /* the sample interrupted kernel code: kstack is set */

/* What a record is; every kind carries the same stack fields so one unwinder serves them all. */
#define KIND_CPU 0             /* a CPU-clock sample */
#define KIND_OFF_CPU 1         /* value: nanoseconds blocked */
#define KIND_ALLOC 2           /* value: bytes requested, value2: the address returned */
#define KIND_FREE 3            /* header only: value2 is a sampled address now freed */
#define KIND_BLOCK_IO 4        /* a bio queued: value: bytes, value2: sector, period: disk dev */
#define KIND_BLOCK_IO_DONE 5   /* header only, a request completed: value: sector, value2: bytes,
                                  period: disk dev, ts: completion time */

#define LANG_NONE 0
#define LANG_PYTHON 1

/* One interpreter frame as the interpreter held it at the sample: for CPython the code object and
 * the instruction pointer (3.11+) or f_lasti (3.9, 3.10). Names and lines are resolved in user
 * space from the code object, which outlives the sample. */
struct lang_frame {
	__u64 code;            /* bit 0: an entry frame (3.11), bit 1: a C-stack shim frame (3.12+) */
	__u64 instr;
};

struct cpu_sample {
	__u32 pid;             /* tgid */
	__u32 tid;
	__u64 ts;              /* bpf_ktime_get_boot_ns */
	__u64 cgroup_id;
	__u64 ip, sp, bp;      /* user registers */
	__u32 kstack_len;      /* bytes of kstack used */
	__u32 ustack_len;      /* bytes of ustack copied from sp upwards */
	__u32 cpu;
	__u32 flags;
	__u64 value;           /* meaning per kind */
	__u64 value2;
	__u32 kind;            /* KIND_* */
	__u32 period;          /* allocations: the byte-sampling interval in force */
	char comm[TASK_COMM_LEN];
	__u64 kstack[KSTACK_DEPTH];
	__u32 lang_len;        /* entries of lang used */
	__u32 lang_kind;       /* LANG_* of the frames in lang */
	struct lang_frame lang[LANG_DEPTH];
	__u8 ustack[USTACK_MAX];
};

/* A header-only record (KIND_FREE): everything before kstack. */
#define HEADER_SIZE __builtin_offsetof(struct cpu_sample, kstack)

/* Configuration in .rodata, set by the loader before load (offsets fixed by this layout). */
struct profile_config {
	__u32 target_tgid;      /* 0: every process */
	__u32 self_tgid;        /* the agent itself, never sampled */
	__u64 target_cgroup_id; /* 0: every cgroup */
	__u32 ustack_chunks;    /* user-stack bytes copied = chunks * USTACK_CHUNK */
	__u32 reserved;
};

/* Counters in .bss, read by the loader through the mmapped map. */
struct profile_counters {
	__u64 samples_sent;
	__u64 samples_dropped;  /* ring buffer full */
};

#endif
