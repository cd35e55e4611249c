package dev.hearth.agent.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hearth.agent.AgentException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * One downcall handle per libbpf function the agent uses, bound to the system {@code libbpf.so.1}
 * (libbpf 1.x: functions return {@code -errno} or NULL with errno set). Every handle takes the
 * errno capture buffer as its first argument.
 */
final class Libbpf {
  private static final SymbolLookup LIB = load();

  static final MethodHandle OBJECT_OPEN_MEM =
      fn("bpf_object__open_mem", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
  static final MethodHandle OBJECT_LOAD = fn("bpf_object__load", JAVA_INT, ADDRESS);
  static final MethodHandle OBJECT_CLOSE = fnVoid("bpf_object__close", ADDRESS);
  static final MethodHandle OBJECT_NEXT_MAP = fn("bpf_object__next_map", ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle OBJECT_FIND_PROGRAM =
      fn("bpf_object__find_program_by_name", ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle OBJECT_FIND_MAP_FD =
      fn("bpf_object__find_map_fd_by_name", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle MAP_FD = fn("bpf_map__fd", JAVA_INT, ADDRESS);
  static final MethodHandle MAP_LOOKUP_ELEM =
      fn("bpf_map_lookup_elem", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle MAP_UPDATE_ELEM =
      fn("bpf_map_update_elem", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
  static final MethodHandle MAP_DELETE_ELEM =
      fn("bpf_map_delete_elem", JAVA_INT, JAVA_INT, ADDRESS);
  static final MethodHandle MAP_NAME = fn("bpf_map__name", ADDRESS, ADDRESS);
  static final MethodHandle MAP_INITIAL_VALUE =
      fn("bpf_map__initial_value", ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle PROGRAM_SET_LOG_BUF =
      fn("bpf_program__set_log_buf", JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
  static final MethodHandle PROGRAM_FD = fn("bpf_program__fd", JAVA_INT, ADDRESS);
  static final MethodHandle PROGRAM_ATTACH_PERF_EVENT =
      fn("bpf_program__attach_perf_event", ADDRESS, ADDRESS, JAVA_INT);
  static final MethodHandle PROGRAM_ATTACH = fn("bpf_program__attach", ADDRESS, ADDRESS);
  static final MethodHandle PROGRAM_ATTACH_UPROBE =
      fn(
          "bpf_program__attach_uprobe",
          ADDRESS,
          ADDRESS,
          JAVA_BOOLEAN,
          JAVA_INT,
          ADDRESS,
          JAVA_LONG);
  static final MethodHandle ENABLE_STATS = fn("bpf_enable_stats", JAVA_INT, JAVA_INT);
  static final MethodHandle OBJ_GET_INFO_BY_FD =
      fn("bpf_obj_get_info_by_fd", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle LINK_DESTROY = fn("bpf_link__destroy", JAVA_INT, ADDRESS);
  static final MethodHandle RING_BUFFER_NEW =
      fn("ring_buffer__new", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle RING_BUFFER_ADD =
      fn("ring_buffer__add", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle RING_BUFFER_POLL = fn("ring_buffer__poll", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle RING_BUFFER_FREE = fnVoid("ring_buffer__free", ADDRESS);

  private Libbpf() {}

  private static SymbolLookup load() {
    try {
      return SymbolLookup.libraryLookup("libbpf.so.1", Arena.global());
    } catch (IllegalArgumentException e) {
      throw new AgentException(
          AgentException.UNSUPPORTED,
          "libbpf.so.1 not found: install it (Debian: apt-get install libbpf1)",
          e);
    }
  }

  private static MethodHandle fn(
      String name, java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
    return Native.downcall(LIB, name, FunctionDescriptor.of(result, args));
  }

  private static MethodHandle fnVoid(String name, java.lang.foreign.MemoryLayout... args) {
    return Native.downcall(LIB, name, FunctionDescriptor.ofVoid(args));
  }
}
