package dev.hearth.agent;

import java.util.Collections;
import java.util.List;

/**
 * How much of a folded profile ({@code /api/v1/folded}: {@code root;…;leaf value} per line) lies on
 * stacks that hold a frame chain, adjacent and root first.
 *
 * @param all the value of every stack
 * @param matching the value of the stacks holding the chain
 */
record FoldedShare(long all, long matching) {
  static FoldedShare of(String folded, List<String> chain) {
    long all = 0;
    long matching = 0;
    for (String line : folded.split("\n")) {
      int space = line.lastIndexOf(' ');
      if (space <= 0) {
        continue;
      }
      long value = Long.parseLong(line.substring(space + 1).strip());
      all += value;
      if (Collections.indexOfSubList(List.of(line.substring(0, space).split(";")), chain) >= 0) {
        matching += value;
      }
    }
    return new FoldedShare(all, matching);
  }

  /** The matching share of the value, 0 for an empty profile. */
  double fraction() {
    return all == 0 ? 0 : (double) matching / all;
  }
}
