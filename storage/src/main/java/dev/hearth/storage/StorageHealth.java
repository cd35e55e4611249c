package dev.hearth.storage;

import java.util.Map;

/**
 * The outcome of {@link ProfileStore#check()}.
 *
 * @param up whether a query round trip succeeded
 * @param details what a health endpoint shows: {@code version} of the engine, {@code mode} ({@code
 *     embedded} or {@code external}), {@code error} when down, …
 */
public record StorageHealth(boolean up, Map<String, Object> details) {
  public StorageHealth {
    details = Map.copyOf(details);
  }

  public static StorageHealth down(String error, Map<String, Object> more) {
    var all = new java.util.LinkedHashMap<String, Object>(more);
    all.put("error", error);
    return new StorageHealth(false, all);
  }
}
