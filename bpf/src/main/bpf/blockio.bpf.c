// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Block IO profiler. tp_btf/block_bio_queue runs where a bio is submitted, in the issuing
 * thread's own context (write(2) with O_DIRECT, fsync(2), read faults): it sends the bio's bytes,
 * disk and sector with the kernel stack, user registers and user-stack copy. tp_btf/
 * block_rq_complete sends a small record per completed request (disk, first sector, bytes); user
 * space matches the bios the request covers and charges each its latency. (block_rq_issue often
 * runs in a kworker, so the issuing stack is taken at queue time.) */
#include "x86/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"
#include "blockio.h"
#include "sample.bpf.h"

const volatile struct blockio_config cfg = {.ustack_chunks = USTACK_CHUNKS};
struct profile_counters counters = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

SEC("tp_btf/block_bio_queue")
int BPF_PROG(on_bio_queue, struct bio *bio)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
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
	sample_header(s, id, KIND_BLOCK_IO);
	s->value = bio->bi_iter.bi_size;
	s->value2 = bio->bi_iter.bi_sector;
	s->period = bio->bi_bdev->bd_disk->part0->bd_dev;
	long n = bpf_get_stack(ctx, s->kstack, sizeof(s->kstack), 0);
	if (n > 0) {
		s->kstack_len = n;
		s->flags |= SAMPLE_KERNEL;
	}
	sample_user(s, cfg.ustack_chunks);
	bpf_ringbuf_submit(s, 0);
	__sync_fetch_and_add(&counters.samples_sent, 1);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(on_rq_complete, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
	struct cpu_sample *s = bpf_ringbuf_reserve(&events, HEADER_SIZE, 0);
	if (!s) {
		__sync_fetch_and_add(&counters.samples_dropped, 1);
		return 0;
	}
	sample_header(s, bpf_get_current_pid_tgid(), KIND_BLOCK_IO_DONE);
	s->value = rq->__sector;
	s->value2 = nr_bytes;
	s->period = rq->q->disk->part0->bd_dev;
	bpf_ringbuf_submit(s, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
