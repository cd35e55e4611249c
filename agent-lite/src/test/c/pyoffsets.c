/* Prints the CPython struct offsets the agent walks, compiled against one version's own headers
 * (internal ones with Py_BUILD_CORE). PythonLayoutTest compares the output with PythonLayout. */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <stddef.h>
#include <stdio.h>
#if PY_VERSION_HEX >= 0x030B0000
#include "internal/pycore_frame.h"
#else
#include <frameobject.h>
#endif
#include "internal/pycore_runtime.h"
#include "internal/pycore_interp.h"

#define P(name, value) printf("%s=%zu\n", name, (size_t)(value))

int main(void)
{
	P("runtime_interp_head", offsetof(_PyRuntimeState, interpreters.head));
#if PY_VERSION_HEX >= 0x030B0000
	P("interp_threads_head", offsetof(PyInterpreterState, threads.head));
#else
	P("interp_threads_head", offsetof(PyInterpreterState, tstate_head));
#endif
	P("tstate_next", offsetof(PyThreadState, next));
	P("tstate_thread_id", offsetof(PyThreadState, thread_id));
#if PY_VERSION_HEX >= 0x030D0000
	P("tstate_frame", offsetof(PyThreadState, current_frame));
	P("cframe_frame", 0xffff);
#elif PY_VERSION_HEX >= 0x030B0000
	P("tstate_frame", offsetof(PyThreadState, cframe));
	P("cframe_frame", offsetof(_PyCFrame, current_frame));
#else
	P("tstate_frame", offsetof(PyThreadState, frame));
	P("cframe_frame", 0xffff);
#endif
#if PY_VERSION_HEX >= 0x030D0000
	P("frame_code", offsetof(_PyInterpreterFrame, f_executable));
	P("frame_previous", offsetof(_PyInterpreterFrame, previous));
	P("frame_instr", offsetof(_PyInterpreterFrame, instr_ptr));
	P("frame_owner", offsetof(_PyInterpreterFrame, owner));
	P("frame_is_entry", 0xffff);
#elif PY_VERSION_HEX >= 0x030B0000
	P("frame_code", offsetof(_PyInterpreterFrame, f_code));
	P("frame_previous", offsetof(_PyInterpreterFrame, previous));
	P("frame_instr", offsetof(_PyInterpreterFrame, prev_instr));
	P("frame_owner", offsetof(_PyInterpreterFrame, owner));
#if PY_VERSION_HEX >= 0x030C0000
	P("frame_is_entry", 0xffff);
#else
	P("frame_is_entry", offsetof(_PyInterpreterFrame, is_entry));
#endif
#else
	P("frame_code", offsetof(PyFrameObject, f_code));
	P("frame_previous", offsetof(PyFrameObject, f_back));
	P("frame_instr", offsetof(PyFrameObject, f_lasti));
	P("frame_owner", 0xffff);
	P("frame_is_entry", 0xffff);
#endif
	P("code_filename", offsetof(PyCodeObject, co_filename));
	P("code_name", offsetof(PyCodeObject, co_name));
#if PY_VERSION_HEX >= 0x030B0000
	P("code_qualname", offsetof(PyCodeObject, co_qualname));
	P("code_linetable", offsetof(PyCodeObject, co_linetable));
	P("code_units", offsetof(PyCodeObject, co_code_adaptive));
#elif PY_VERSION_HEX >= 0x030A0000
	P("code_qualname", offsetof(PyCodeObject, co_name));
	P("code_linetable", offsetof(PyCodeObject, co_linetable));
	P("code_units", 0xffff);
#else
	P("code_qualname", offsetof(PyCodeObject, co_name));
	P("code_linetable", offsetof(PyCodeObject, co_lnotab));
	P("code_units", 0xffff);
#endif
	P("code_firstlineno", offsetof(PyCodeObject, co_firstlineno));
	P("bytes_data", offsetof(PyBytesObject, ob_sval));
	P("ascii_size", sizeof(PyASCIIObject));
	P("compact_size", sizeof(PyCompactUnicodeObject));
	return 0;
}
