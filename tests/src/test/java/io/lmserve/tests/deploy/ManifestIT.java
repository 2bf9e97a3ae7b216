package io.lmserve.tests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.lmserve.service.LmserveApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/**
 * The k8s/ overlays rendered by kubectl kustomize, checked without a cluster: every field known to
 * the Kubernetes schema, the objects accepted and label-selected by an in-process API server
 * (fabric8 kubernetes-server-mock), and the probe paths, port and drain time held against this
 * service running from config/ on a random port.
 */
@SpringBootTest(
    classes = LmserveApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ManifestIT {

  private static final Pattern CONFIG_PORT = Pattern.compile("port: \\$\\{LMSERVE_PORT:(\\d+)}");

  @LocalServerPort int port;
  @Autowired Environment environment;

  @BeforeAll
  static void kubectl() {
    Prerequisite.require(
        Manifests.kubectlPresent(),
        "kubectl missing: needed to render k8s/ (apt-get install kubectl, or kubernetes-client)");
  }

  private static List<HasMetadata> overlay(String name) throws IOException {
    return Manifests.read(Manifests.render("overlays/" + name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyFieldIsKnownToTheKubernetesSchema(String name) throws IOException {
    List<HasMetadata> objects = overlay(name);
    Set<String> kinds = objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
    Set<String> expected =
        Set.of(
            "Namespace",
            "ConfigMap",
            "Service",
            "Deployment",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget");
    assertThat(kinds).containsAll(expected);
    if (name.equals("prod")) {
      assertThat(kinds).contains("PersistentVolumeClaim");
    }
    for (HasMetadata object : objects) {
      assertThat(Manifests.unknownFields(object, object.getKind()))
          .as("fields of %s/%s no schema knows", object.getKind(), object.getMetadata().getName())
          .isEmpty();
    }
  }

  /** The unknown-field check itself: a misspelt field and an unknown apiVersion are reported. */
  @Test
  void unknownFieldsAreReported() throws IOException {
    String deployment = Files.readString(Manifests.K8S.resolve("base/deployment.yaml"));
    String misspelt = deployment.replace("readinessProbe:", "readinesProbe:");
    assertThat(Manifests.unknownFields(Manifests.read(misspelt).getFirst(), "Deployment"))
        .contains("Deployment.spec.template.spec.containers[0].readinesProbe");
    String hpa = Files.readString(Manifests.K8S.resolve("base/hpa.yaml"));
    HasMetadata unknownVersion =
        Manifests.read(hpa.replace("autoscaling/v2", "autoscaling/v9")).getFirst();
    assertThat(Manifests.unknownFields(unknownVersion, "HPA")).contains("HPA.spec");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void selectorsPortsAndReferencesHoldOnAnApiServer(String name) throws Exception {
    List<HasMetadata> objects = overlay(name);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      for (HasMetadata object : objects) {
        HasMetadata stored = client.resource(object).create();
        assertThat(stored.getMetadata().getName()).isEqualTo(object.getMetadata().getName());
      }
      String namespace = Manifests.only(objects, Namespace.class).getMetadata().getName();
      Deployment deployment =
          client.apps().deployments().inNamespace(namespace).withName("lmserve").get();
      assertThat(deployment.getSpec())
          .isEqualTo(Manifests.only(objects, Deployment.class).getSpec());
      PodSpec podSpec = deployment.getSpec().getTemplate().getSpec();

      // The pod the Deployment's ReplicaSet would create: the template's labels and spec.
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withName("lmserve-0")
              .withNamespace(namespace)
              .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
              .endMetadata()
              .withSpec(podSpec)
              .build();
      client.resource(pod).create();
      Service service = client.services().inNamespace(namespace).withName("lmserve").get();
      PodDisruptionBudget budget =
          client
              .policy()
              .v1()
              .podDisruptionBudget()
              .inNamespace(namespace)
              .withName("lmserve")
              .get();
      List<Map<String, String>> selectors = new ArrayList<>();
      selectors.add(service.getSpec().getSelector());
      selectors.add(deployment.getSpec().getSelector().getMatchLabels());
      selectors.add(budget.getSpec().getSelector().getMatchLabels());
      for (TopologySpreadConstraint spread : podSpec.getTopologySpreadConstraints()) {
        selectors.add(spread.getLabelSelector().getMatchLabels());
      }
      for (Map<String, String> selector : selectors) {
        assertThat(selector).isNotEmpty();
        assertThat(client.pods().inNamespace(namespace).withLabels(selector).list().getItems())
            .as("pods selected by %s", selector)
            .extracting(p -> p.getMetadata().getName())
            .containsExactly("lmserve-0");
      }

      HorizontalPodAutoscaler hpa =
          client
              .autoscaling()
              .v2()
              .horizontalPodAutoscalers()
              .inNamespace(namespace)
              .withName("lmserve")
              .get();
      assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo(deployment.getKind());
      assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion())
          .isEqualTo(deployment.getApiVersion());
      assertThat(hpa.getSpec().getScaleTargetRef().getName())
          .isEqualTo(deployment.getMetadata().getName());
      assertThat(hpa.getSpec().getMinReplicas())
          .isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
      assertThat(deployment.getSpec().getReplicas())
          .isGreaterThanOrEqualTo(hpa.getSpec().getMinReplicas());

      for (Volume volume : podSpec.getVolumes()) {
        if (volume.getConfigMap() != null) {
          assertThat(
                  client
                      .configMaps()
                      .inNamespace(namespace)
                      .withName(volume.getConfigMap().getName())
                      .get())
              .as("ConfigMap of volume %s", volume.getName())
              .isNotNull();
        }
        if (volume.getPersistentVolumeClaim() != null) {
          assertThat(
                  client
                      .resources(PersistentVolumeClaim.class)
                      .inNamespace(namespace)
                      .withName(volume.getPersistentVolumeClaim().getClaimName())
                      .get())
              .as("claim of volume %s", volume.getName())
              .isNotNull();
        }
      }

      Container container = podSpec.getContainers().getFirst();
      Map<String, Integer> ports =
          container.getPorts().stream()
              .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
      assertThat(ports).containsOnlyKeys("http");
      assertThat(service.getSpec().getPorts())
          .allSatisfy(p -> assertThat(ports).containsKey(portName(p.getTargetPort())));
      for (Probe probe : probes(container)) {
        assertThat(ports).containsKey(portName(probe.getHttpGet().getPort()));
      }
      // The container port is the one the service's configuration listens on.
      String application =
          Manifests.only(objects, ConfigMap.class).getData().get("application.yml");
      Matcher configured = CONFIG_PORT.matcher(application);
      assertThat(configured.find()).as("server.port in the ConfigMap").isTrue();
      assertThat(container.getEnv()).noneMatch(env -> env.getName().equals("LMSERVE_PORT"));
      assertThat(ports.get("http")).isEqualTo(Integer.parseInt(configured.group(1)));
    } finally {
      server.destroy();
    }
  }

  private static String portName(IntOrString port) {
    assertThat(port.getStrVal()).as("ports are referred to by name").isNotNull();
    return port.getStrVal();
  }

  private static List<Probe> probes(Container container) {
    return Stream.of(
            container.getStartupProbe(),
            container.getReadinessProbe(),
            container.getLivenessProbe())
        .toList();
  }

  /** Every path Kubernetes and Prometheus will call answers 200 on the real service. */
  @Test
  void probeAndScrapePathsAnswerOnTheService() throws Exception {
    Deployment deployment = Manifests.only(overlay("prod"), Deployment.class);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    List<String> paths = new ArrayList<>();
    for (Probe probe : probes(container)) {
      HTTPGetAction get = probe.getHttpGet();
      assertThat(get).as("every probe is an HTTP GET").isNotNull();
      paths.add(get.getPath());
    }
    paths.add(
        deployment
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("prometheus.io/path"));
    assertThat(container.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/readiness");
    try (HttpClient http = HttpClient.newHttpClient()) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      for (String path : paths) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        while (response.statusCode() != 200 && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
          response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        if (path.equals(container.getReadinessProbe().getHttpGet().getPath())) {
          assertThat(response.body()).as("readiness waits for the models").contains("\"models\"");
        }
      }
    }
  }

  /**
   * The pod's grace period covers preStop plus the service's graceful-shutdown phase, so the
   * kubelet never kills a pod that is still draining; the security settings match the image's user.
   */
  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void drainTimeSecurityAndResources(String name) throws IOException {
    Deployment deployment = Manifests.only(overlay(name), Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().getFirst();
    List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
    assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
    long preStopSeconds = Long.parseLong(preStop.get(1));
    Duration drain =
        environment.getRequiredProperty(
            "spring.lifecycle.timeout-per-shutdown-phase", Duration.class);
    assertThat(environment.getProperty("server.shutdown")).isEqualTo("graceful");
    assertThat(pod.getTerminationGracePeriodSeconds())
        .isGreaterThanOrEqualTo(preStopSeconds + drain.toSeconds() + 1);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getVolumeMounts()).anyMatch(mount -> mount.getMountPath().equals("/tmp"));

    Map<String, Quantity> requests = container.getResources().getRequests();
    Map<String, Quantity> limits = container.getResources().getLimits();
    assertThat(requests).containsKeys("cpu", "memory");
    assertThat(Quantity.getAmountInBytes(limits.get("memory")))
        .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));
  }
}
