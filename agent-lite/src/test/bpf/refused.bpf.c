// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A program the verifier must refuse (it reads memory through an unchecked pointer), so the test can
 * check that the agent reports the verifier's log and exit code 5. */
#include "x86/vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("perf_event")
int on_cpu_sample(struct bpf_perf_event_data *ctx)
{
	unsigned long *p = (unsigned long *)ctx->sample_period;
	return *p != 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
