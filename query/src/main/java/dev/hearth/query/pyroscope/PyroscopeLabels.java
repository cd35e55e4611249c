package dev.hearth.query.pyroscope;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.LabelSet;
import dev.hearth.model.ProfileType;
import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.Selector;
import dev.hearth.query.SelectorParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Pyroscope's synthetic labels, which every series carries beside its own: {@code __name__} (the
 * profile type's name, e.g. {@code process_cpu}), {@code __profile_type__} (the full id), {@code
 * __type__}, {@code __unit__}, {@code __period_type__} and {@code __period_unit__}. Hearth keeps
 * the profile type apart from the labels, so matchers on these select profile types.
 */
final class PyroscopeLabels {
  static final String NAME = "__name__";
  static final String PROFILE_TYPE = "__profile_type__";

  /** The synthetic label names, as Pyroscope lists them. */
  static final List<String> NAMES =
      List.of(NAME, "__period_type__", "__period_unit__", PROFILE_TYPE, "__type__", "__unit__");

  private static final Set<String> SYNTHETIC = Set.copyOf(NAMES);

  private PyroscopeLabels() {}

  static boolean isSynthetic(String name) {
    return SYNTHETIC.contains(name);
  }

  /** The synthetic labels of a profile type. */
  static LabelSet of(ProfileType t) {
    return LabelSet.of(
        NAME,
        t.name(),
        "__period_type__",
        t.periodType(),
        "__period_unit__",
        t.periodUnit(),
        PROFILE_TYPE,
        t.id(),
        "__type__",
        t.sampleType(),
        "__unit__",
        t.sampleUnit());
  }

  /**
   * A Pyroscope selector split into matchers on synthetic labels and on series labels.
   *
   * @param types matchers on synthetic labels (they select profile types)
   * @param labels the selector of series labels, with a profile type when the selector names one
   *     exactly ({@code __profile_type__="…"} or a type prefix)
   */
  record Split(List<LabelMatcher> types, Selector labels) {
    boolean matches(ProfileType t) {
      LabelSet synthetic = of(t);
      for (LabelMatcher m : types) {
        if (!m.matches(synthetic)) {
          return false;
        }
      }
      return labels.type() == null || labels.type().equals(t);
    }

    /** The selector written back (series labels only), for a typed request's {@code query}. */
    String labelSelector() {
      return new Selector(null, labels.matchers()).toString();
    }
  }

  /** Parses {@code text}, the value of Pyroscope field {@code field}; blank selects everything. */
  static Split split(String field, @Nullable String text) {
    if (text == null || text.isBlank()) {
      return new Split(List.of(), Selector.EMPTY);
    }
    Selector parsed = SelectorParser.parse(field, text);
    List<LabelMatcher> types = new ArrayList<>();
    List<LabelMatcher> labels = new ArrayList<>();
    ProfileType type = parsed.type();
    for (LabelMatcher m : parsed.matchers()) {
      if (!isSynthetic(m.name())) {
        labels.add(m);
        continue;
      }
      types.add(m);
      if (m.name().equals(PROFILE_TYPE) && m.op() == LabelMatcher.Op.EQ) {
        ProfileType given = parseType(field, m.value());
        if (type != null && !type.equals(given)) {
          throw new InvalidQueryException(
              field, "names two profile types, " + type.id() + " and " + given.id());
        }
        type = given;
      }
    }
    return new Split(List.copyOf(types), new Selector(type, labels));
  }

  static ProfileType parseType(String field, String id) {
    try {
      return ProfileType.parse(id.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidQueryException(
          field,
          "'"
              + id
              + "' is not a profile type id (name:sample_type:sample_unit:period_type:period_unit)");
    }
  }
}
