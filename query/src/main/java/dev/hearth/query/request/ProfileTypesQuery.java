package dev.hearth.query.request;

import dev.hearth.query.QueryParams.Range;

/** {@code profile-types}: the profile types with data in a range ({@code from}, {@code until}). */
public record ProfileTypesQuery(String tenant, Range range) {
  public static ProfileTypesQuery parse(Params p, ParseContext c) {
    return new ProfileTypesQuery(c.tenant(), Parsing.range(p, c));
  }
}
