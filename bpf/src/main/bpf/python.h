/* Shared between profile.bpf.c and agent-lite's PythonLayout.java: where one CPython process keeps
 * its threads and frames. The agent fills one entry per Python process it finds (the version's
 * offsets, checked by agent-lite's PythonLayoutTest against each version's own headers). */
#ifndef HEARTH_PYTHON_H
#define HEARTH_PYTHON_H

#define PY_NONE 0xffff         /* an offset that does not apply to this version */
#define PY_FRAME_READ 128      /* bytes read per frame: every frame offset + 8 stays below */
#define PY_MAX_THREADS 64      /* thread states searched for the sampled thread */

struct py_proc {
	__u64 runtime;          /* address of _PyRuntime in the process */
	__u16 interp_head;      /* _PyRuntimeState.interpreters.head */
	__u16 threads_head;     /* PyInterpreterState.threads.head (tstate_head before 3.11) */
	__u16 tstate_next;      /* PyThreadState.next */
	__u16 tstate_thread_id; /* PyThreadState.thread_id: pthread_self(), the thread's fsbase */
	__u16 tstate_frame;     /* PyThreadState.cframe (3.11, 3.12), current_frame (3.13), frame */
	__u16 cframe_frame;     /* _PyCFrame.current_frame, or PY_NONE */
	__u16 frame_code;       /* f_code / f_executable */
	__u16 frame_previous;   /* previous / f_back */
	__u16 frame_instr;      /* prev_instr / instr_ptr / f_lasti */
	__u16 frame_owner;      /* owner (3.12+: 3 is a C-stack shim), or PY_NONE */
	__u16 frame_is_entry;   /* is_entry (3.11), or PY_NONE */
	__u16 reserved;
};

#endif
