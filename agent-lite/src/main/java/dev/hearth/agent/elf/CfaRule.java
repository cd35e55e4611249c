package dev.hearth.agent.elf;

/**
 * How to find the caller's frame at one instruction, as x86-64 CFI says it: the canonical frame
 * address (CFA) is a register plus an offset (or a DWARF expression), the return address is saved
 * at {@code CFA + raOffset}, and {@code rbp} is either unchanged or saved at {@code CFA +
 * bpOffset}.
 *
 * @param cfaRegister DWARF register of the CFA rule: 7 ({@code rsp}) or 6 ({@code rbp}); -1 when
 *     the CFA is an expression
 * @param cfaOffset offset added to the register
 * @param cfaExpression the DWARF expression, or null
 * @param raOffset where the return address is saved, relative to the CFA
 * @param bpSaved whether {@code rbp} is saved on the stack
 * @param bpOffset where {@code rbp} is saved, relative to the CFA
 * @param raUndefined the return address is undefined: this is the outermost frame
 */
public record CfaRule(
    int cfaRegister,
    long cfaOffset,
    byte @org.jspecify.annotations.Nullable [] cfaExpression,
    long raOffset,
    boolean bpSaved,
    long bpOffset,
    boolean raUndefined) {

  public static final int RBP = 6;
  public static final int RSP = 7;
  public static final int RIP = 16;
}
