package io.lmserve.tests.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The k8s/ manifests as typed Kubernetes objects: rendered by {@code kubectl kustomize} (the same
 * command k8s/README.md gives), read into fabric8's models, which are generated from the Kubernetes
 * OpenAPI schema. A field the schema does not know lands in a model's additional properties, where
 * {@link #unknownFields} finds it; a value of the wrong type fails to read.
 */
final class Manifests {

  static final Path ROOT = Path.of(System.getProperty("lmserve.root", "..")).toAbsolutePath();
  static final Path K8S = ROOT.resolve("k8s");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Manifests() {}

  static boolean kubectlPresent() {
    try {
      return run(List.of("kubectl", "version", "--client")).exitCode == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code kubectl kustomize} of one folder under k8s/, as YAML documents. */
  static String render(String folder) throws IOException {
    List<String> command =
        List.of(
            "kubectl",
            "kustomize",
            "--load-restrictor=LoadRestrictionsNone",
            K8S.resolve(folder).toString());
    Result result = run(command);
    if (result.exitCode != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + result.output);
    }
    return result.output;
  }

  /** Every document of a multi-document YAML stream, read as a typed Kubernetes object. */
  static List<HasMetadata> read(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (!document.isBlank()) {
        objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
      }
    }
    return objects;
  }

  static Deployment baseDeployment() throws IOException {
    return SERIALIZATION.unmarshal(
        Files.readString(K8S.resolve("base/deployment.yaml")), Deployment.class);
  }

  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.getFirst();
  }

  /**
   * Paths of every field that no Kubernetes schema knows (a typo such as {@code readinesProbe}, a
   * field at the wrong level, a kind or apiVersion fabric8 cannot type).
   */
  static List<String> unknownFields(Object object, String path) {
    List<String> found = new ArrayList<>();
    collectUnknown(object, path, found);
    return found;
  }

  private static void collectUnknown(Object value, String path, List<String> found) {
    switch (value) {
      case null -> {}
      case Collection<?> items -> {
        int index = 0;
        for (Object item : items) {
          collectUnknown(item, path + "[" + index++ + "]", found);
        }
      }
      case Map<?, ?> map ->
          map.forEach((key, item) -> collectUnknown(item, path + "." + key, found));
      case KubernetesResource resource -> collectUnknownFields(resource, path, found);
      default -> {}
    }
  }

  private static void collectUnknownFields(
      KubernetesResource resource, String path, List<String> found) {
    Method[] getters = resource.getClass().getMethods();
    Arrays.sort(getters, (a, b) -> a.getName().compareTo(b.getName()));
    for (Method getter : getters) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(resource);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue; // computed accessors of a few models; the fields themselves have plain getters
      }
      String field = getter.getName().substring(3);
      if (field.equals("AdditionalProperties") && value instanceof Map<?, ?> extra) {
        extra.keySet().forEach(key -> found.add(path + "." + key));
      } else {
        collectUnknown(
            value, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), found);
      }
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
      }
      return new Result(process.exitValue(), output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
