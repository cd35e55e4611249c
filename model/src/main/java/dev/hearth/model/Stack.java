package dev.hearth.model;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A call stack, leaf first: {@code locations().get(0)} is where the sample was taken. */
public final class Stack {
  private final List<Location> locations;
  private final long id;

  private Stack(List<Location> leafFirst) {
    this.locations = List.copyOf(leafFirst);
    this.id = Ids.stack(this.locations);
  }

  public static Stack of(List<Location> leafFirst) {
    return new Stack(leafFirst);
  }

  /** A stack of named frames, root first, as folded stacks write them. */
  public static Stack ofFunctionNamesRootFirst(List<String> rootFirst) {
    List<Location> leafFirst = new ArrayList<>(rootFirst.size());
    for (int i = rootFirst.size() - 1; i >= 0; i--) {
      leafFirst.add(Location.of(Function.of(rootFirst.get(i))));
    }
    return new Stack(leafFirst);
  }

  public List<Location> locations() {
    return locations;
  }

  public int depth() {
    return locations.size();
  }

  /** Functions leaf first with inlined frames expanded, as the {@code stacks} table stores them. */
  public List<Function> functionsLeafFirst() {
    List<Function> out = new ArrayList<>(locations.size());
    for (Location location : locations) {
      for (Line line : location.lines()) {
        out.add(line.function());
      }
    }
    return out;
  }

  /** Function names root first, inlines expanded: the frames of a folded-stacks line. */
  public List<String> functionNamesRootFirst() {
    List<Function> leafFirst = functionsLeafFirst();
    List<String> out = new ArrayList<>(leafFirst.size());
    for (int i = leafFirst.size() - 1; i >= 0; i--) {
      out.add(leafFirst.get(i).name());
    }
    return out;
  }

  /** Content hash over the location ids, leaf first; see {@link Ids}. */
  public long id() {
    return id;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Stack s && s.id == id && s.locations.equals(locations);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return String.join(";", functionNamesRootFirst());
  }
}
