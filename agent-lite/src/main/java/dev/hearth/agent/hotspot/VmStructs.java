package dev.hearth.agent.hotspot;

import dev.hearth.agent.elf.ElfFile;
import dev.hearth.agent.elf.SymbolTable;
import dev.hearth.agent.unwind.ProcessMemory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The VMStructs tables a running HotSpot exports for serviceability agents: {@code
 * gHotSpotVMStructs} (field offsets and static addresses by type and name), {@code gHotSpotVMTypes}
 * (type sizes) and {@code gHotSpotVMIntConstants}. The entry layouts themselves are exported too
 * ({@code gHotSpotVMStructEntryTypeNameOffset}, ...), so one reader serves JDK 17, 21 and 25.
 */
final class VmStructs {
  static final int MAX_ENTRIES = 20_000;

  private final Map<String, Long> fields = new HashMap<>();
  private final Map<String, Long> sizes = new HashMap<>();
  private final Map<String, Long> ints = new HashMap<>();

  private VmStructs() {}

  /** Reads the tables of the libjvm mapped with load bias {@code bias}, or null if unreadable. */
  static @Nullable VmStructs read(ProcessMemory mem, ElfFile libjvm, long bias) {
    Symbols sym = new Symbols(mem, libjvm, bias);
    VmStructs v = new VmStructs();
    long structs = sym.pointer("gHotSpotVMStructs");
    long stride = sym.pointer("gHotSpotVMStructEntryArrayStride");
    if (structs == 0 || stride <= 0) {
      return null;
    }
    long typeName = sym.pointer("gHotSpotVMStructEntryTypeNameOffset");
    long fieldName = sym.pointer("gHotSpotVMStructEntryFieldNameOffset");
    long isStatic = sym.pointer("gHotSpotVMStructEntryIsStaticOffset");
    long offset = sym.pointer("gHotSpotVMStructEntryOffsetOffset");
    long address = sym.pointer("gHotSpotVMStructEntryAddressOffset");
    for (int i = 0; i < MAX_ENTRIES; i++) {
      ByteBuffer e = mem.read(structs + i * stride, (int) stride);
      if (e == null) {
        return null;
      }
      String type = cString(mem, e.getLong((int) typeName));
      if (type == null) {
        break;
      }
      String field = cString(mem, e.getLong((int) fieldName));
      boolean stat = e.getInt((int) isStatic) != 0;
      v.fields.put(type + "::" + field, stat ? e.getLong((int) address) : e.getLong((int) offset));
    }
    long types = sym.pointer("gHotSpotVMTypes");
    long typeStride = sym.pointer("gHotSpotVMTypeEntryArrayStride");
    long tName = sym.pointer("gHotSpotVMTypeEntryTypeNameOffset");
    long tSize = sym.pointer("gHotSpotVMTypeEntrySizeOffset");
    for (int i = 0; types != 0 && typeStride > 0 && i < MAX_ENTRIES; i++) {
      ByteBuffer e = mem.read(types + i * typeStride, (int) typeStride);
      String type = e == null ? null : cString(mem, e.getLong((int) tName));
      if (e == null || type == null) {
        break;
      }
      v.sizes.put(type, e.getLong((int) tSize));
    }
    long consts = sym.pointer("gHotSpotVMIntConstants");
    long cStride = sym.pointer("gHotSpotVMIntConstantEntryArrayStride");
    long cName = sym.pointer("gHotSpotVMIntConstantEntryNameOffset");
    long cValue = sym.pointer("gHotSpotVMIntConstantEntryValueOffset");
    for (int i = 0; consts != 0 && cStride > 0 && i < MAX_ENTRIES; i++) {
      ByteBuffer e = mem.read(consts + i * cStride, (int) cStride);
      String name = e == null ? null : cString(mem, e.getLong((int) cName));
      if (e == null || name == null) {
        break;
      }
      v.ints.put(name, (long) e.getInt((int) cValue));
    }
    return v.fields.isEmpty() ? null : v;
  }

  /** A field's offset (or a static field's address), or -1 when this JVM has no such field. */
  long field(String type, String name) {
    return fields.getOrDefault(type + "::" + name, -1L);
  }

  /** {@code sizeof(type)}, or -1. */
  long size(String type) {
    return sizes.getOrDefault(type, -1L);
  }

  /** An int constant, or {@code otherwise}. */
  long intConstant(String name, long otherwise) {
    return ints.getOrDefault(name, otherwise);
  }

  /** A NUL-terminated string in the process, or null for address 0. */
  static @Nullable String cString(ProcessMemory mem, long address) {
    if (address == 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int chunk = 0; chunk < 16; chunk++) {
      // Page-aligned pieces: a string near the end of a mapping must not fail the whole read.
      long at = address + sb.length();
      int n = (int) Math.min(64, 4096 - (at & 4095));
      ByteBuffer b = mem.read(at, n);
      if (b == null) {
        return sb.isEmpty() ? null : sb.toString();
      }
      for (int i = 0; i < n; i++) {
        byte c = b.get(i);
        if (c == 0) {
          return sb.toString();
        }
        sb.append((char) (c & 0xff));
      }
    }
    return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  /** libjvm's exported variables, read from the process. */
  private record Symbols(ProcessMemory mem, ElfFile elf, long bias) {
    long pointer(String name) {
      long at = SymbolTable.addressOf(elf, name);
      return at <= 0 ? 0 : mem.word(at + bias);
    }
  }
}
