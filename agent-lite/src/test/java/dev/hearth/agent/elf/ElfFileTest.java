package dev.hearth.agent.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads the system's libc: Debian ships it stripped of .symtab but with .dynsym and .eh_frame. */
class ElfFileTest {
  private static final Path LIBC = Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6");

  @Test
  void readsBuildIdSymbolsAndCfi() throws Exception {
    ElfFile elf = ElfFile.open(LIBC);
    assertThat(elf.type()).isEqualTo(3);
    assertThat(elf.buildId()).matches("[0-9a-f]{40}");
    assertThat(elf.segments()).anyMatch(ElfFile.Segment::executable);

    SymbolTable symbols = SymbolTable.of(elf);
    assertThat(symbols.size()).isGreaterThan(1000);
    ElfFile.Section dynsym = elf.section(".dynsym");
    assertThat(dynsym).isNotNull();

    EhFrame cfi = EhFrame.of(elf);
    assertThat(cfi.size()).isGreaterThan(1000);
  }

  @Test
  void cfiAtAFunctionEntryHasTheCfaAtRspPlus8() throws Exception {
    ElfFile elf = ElfFile.open(LIBC);
    SymbolTable symbols = SymbolTable.of(elf);
    EhFrame cfi = EhFrame.of(elf);
    // Find any function whose first instruction has an FDE: at entry CFA = rsp + 8, RA at CFA - 8.
    int checked = 0;
    for (long address = 0x30000; address < 0x150000 && checked < 50; address += 0x100) {
      String name = symbols.lookup(address);
      CfaRule rule = cfi.ruleAt(address);
      if (name != null && rule != null) {
        assertThat(rule.raOffset()).isEqualTo(-8);
        assertThat(rule.cfaRegister()).isIn(CfaRule.RSP, CfaRule.RBP, -1);
        checked++;
      }
    }
    assertThat(checked).isPositive();
  }
}
