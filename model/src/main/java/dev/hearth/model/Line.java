package dev.hearth.model;

import java.util.Objects;

/**
 * One source position inside a {@link Location}.
 *
 * @param function the function executing at this position
 * @param line source line, or 0 when unknown
 * @param column source column, or 0 when unknown
 */
public record Line(Function function, long line, long column) {
  public Line {
    Objects.requireNonNull(function, "function");
  }

  public static Line of(Function function, long line) {
    return new Line(function, line, 0);
  }
}
