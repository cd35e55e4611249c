package dev.hearth.agent.symbol;

import dev.hearth.agent.elf.EhFrame;
import dev.hearth.agent.elf.ElfFile;
import dev.hearth.agent.elf.SymbolTable;
import dev.hearth.model.Mapping;

/**
 * An executable or shared library as the agent knows it: its ELF file, unwind tables, function
 * symbols (from the file or its separate debug file) and the model mapping named after it.
 *
 * @param elf the mapped file
 * @param cfi its {@code .eh_frame} index
 * @param symbols its function symbols
 * @param mapping the model mapping (file name as the process saw it, GNU build id)
 */
public record ObjectFile(ElfFile elf, EhFrame cfi, SymbolTable symbols, Mapping mapping) {

  /** The virtual address for a file offset, or -1. */
  public long address(long fileOffset) {
    return elf.fileOffsetToAddress(fileOffset);
  }
}
