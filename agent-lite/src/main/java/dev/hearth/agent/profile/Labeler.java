package dev.hearth.agent.profile;

import dev.hearth.agent.unwind.ProcessInfo;
import dev.hearth.model.LabelSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Series labels and resource attributes for a process. Labels: {@code service_name} (configured,
 * else the executable), {@code host_name}, {@code process_executable_name}, {@code container_id},
 * {@code container_runtime}, {@code k8s_pod_uid} (empty ones are dropped). Resource attributes
 * beyond the labels: {@code os.type}, {@code host.arch}, {@code process.runtime.name} and {@code
 * .version} where known, {@code service.version} and {@code deployment.environment.name} from
 * configuration.
 */
public final class Labeler {
  private final String serviceName;
  private final String hostName;
  private final String serviceVersion;
  private final String environment;

  public Labeler(String serviceName, String hostName, String serviceVersion, String environment) {
    this.serviceName = serviceName;
    this.hostName = hostName;
    this.serviceVersion = serviceVersion;
    this.environment = environment;
  }

  public LabelSet labels(ProcessInfo p) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("service_name", serviceName.isEmpty() ? p.executable() : serviceName);
    labels.put("host_name", hostName);
    labels.put("process_executable_name", p.executable());
    labels.put("container_id", p.containerId());
    labels.put("container_runtime", p.containerRuntime());
    labels.put("k8s_pod_uid", p.podUid());
    return LabelSet.of(labels);
  }

  public Map<String, String> resourceAttributes(ProcessInfo p) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("os.type", "linux");
    a.put("host.arch", arch());
    put(a, "process.runtime.name", p.runtimeName());
    put(a, "process.runtime.version", p.runtimeVersion());
    put(a, "service.version", serviceVersion);
    put(a, "deployment.environment.name", environment);
    return a;
  }

  private static void put(Map<String, String> a, String key, String value) {
    if (!value.isEmpty()) {
      a.put(key, value);
    }
  }

  private static String arch() {
    String arch = System.getProperty("os.arch", "");
    return arch.equals("x86_64") ? "amd64" : arch;
  }
}
