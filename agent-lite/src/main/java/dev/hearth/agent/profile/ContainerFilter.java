package dev.hearth.agent.profile;

import dev.hearth.agent.unwind.ProcessInfo;
import java.util.List;

/**
 * Which processes to keep by container ({@code --container}): a process whose container id starts
 * with one of the given ids (at least 12 characters, like {@code docker ps}). No ids: every
 * process, containerised or not.
 */
public final class ContainerFilter {
  private final List<String> ids;

  public ContainerFilter(List<String> ids) {
    this.ids = ids.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  public boolean matches(ProcessInfo p) {
    if (ids.isEmpty()) {
      return true;
    }
    String id = p.containerId();
    if (id.isEmpty()) {
      return false;
    }
    for (String want : ids) {
      if (id.startsWith(want)) {
        return true;
      }
    }
    return false;
  }
}
