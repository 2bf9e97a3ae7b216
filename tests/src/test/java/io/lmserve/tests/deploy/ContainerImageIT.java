package io.lmserve.tests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Volume;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.lmserve.testkit.TinyModelFolders;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image jib:buildTar made in this build (service/target/lmserve-image.tar), loaded into the
 * local Docker engine and run the way k8s/base/deployment.yaml runs it: its user, a read-only root
 * file system with a writable /tmp, no capabilities, its memory limit and JVM memory options. A
 * second HF folder arrives on a volume at /models and is named in a config file at /etc/lmserve/,
 * as the prod overlay does, beside the tiny GPT-2 of ../shared. The last test sends SIGTERM while a
 * generation streams and watches the stream end and the graceful drain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String IMAGE =
      System.getProperty("lmserve.image", "localhost/lmserve:0.1.0-SNAPSHOT");
  private static final Path IMAGE_TAR =
      Path.of(System.getProperty("lmserve.image.tar", "../service/target/lmserve-image.tar"));

  @TempDir static Path temp;
  private static Deployment manifest;
  private static Container spec;
  private static int containerPort;
  private static GenericContainer<?> lmserve;
  private static HttpClient http;

  @BeforeAll
  static void startTheImage() throws Exception {
    Prerequisite.require(
        DockerClientFactory.instance().isDockerAvailable(),
        "no Docker engine answers (start dockerd; .ci/run does)");
    Prerequisite.require(
        Files.isRegularFile(IMAGE_TAR),
        "no image at " + IMAGE_TAR + ": run deploy/base-image.sh, then ./mvnw package");
    try (InputStream image = Files.newInputStream(IMAGE_TAR)) {
      DockerClientFactory.lazyClient().loadImageCmd(image).exec();
    }
    manifest = Manifests.baseDeployment();
    PodSpec pod = manifest.getSpec().getTemplate().getSpec();
    spec = pod.getContainers().getFirst();
    containerPort = spec.getPorts().getFirst().getContainerPort();
    PodSecurityContext security = pod.getSecurityContext();
    String user = security.getRunAsUser() + ":" + security.getRunAsGroup();
    long memoryLimit =
        Quantity.getAmountInBytes(spec.getResources().getLimits().get("memory")).longValueExact();
    Probe readiness = spec.getReadinessProbe();
    Probe startup = spec.getStartupProbe();

    Path models = extraModelFolder();
    Path config = Files.createDirectories(temp.resolve("config"));
    Files.writeString(
        config.resolve("application.yml"),
        """
        lmserve:
          models:
            extra-bert:
              path: /models/extra-bert
              kind: tokenizer
              description: a folder from the models volume
            tiny-gpt:
              path: /models/tiny-gpt
              kind: causal-lm
              description: the tiny GPT-2 of the reference data, from the models volume
        """);
    readableByAll(temp);

    lmserve =
        new GenericContainer<>(DockerImageName.parse(IMAGE))
            .withImagePullPolicy(image -> false)
            .withExposedPorts(containerPort)
            .withTmpFs(Map.of("/tmp", "rw,size=64m"))
            .withCreateContainerCmdModifier(
                command -> {
                  command.withUser(user);
                  command
                      .getHostConfig()
                      // Binds set here: Testcontainers' own bind API first runs a check
                      // container from a registry image, which cannot be pulled here.
                      .withBinds(
                          new Bind(models.toString(), new Volume("/models"), AccessMode.ro),
                          new Bind(config.toString(), new Volume("/etc/lmserve"), AccessMode.ro))
                      .withReadonlyRootfs(true)
                      .withCapDrop(Capability.ALL)
                      .withSecurityOpts(List.of("no-new-privileges"))
                      .withMemory(memoryLimit)
                      .withMemorySwap(memoryLimit);
                })
            .waitingFor(
                Wait.forHttp(readiness.getHttpGet().getPath())
                    .forPort(containerPort)
                    .forStatusCode(200)
                    .withStartupTimeout(
                        Duration.ofSeconds(
                            (long) startup.getPeriodSeconds() * startup.getFailureThreshold())));
    spec.getEnv().forEach(env -> lmserve.withEnv(env.getName(), env.getValue()));
    lmserve.start();
    http = HttpClient.newHttpClient();
  }

  /**
   * bert-base-uncased's files under another name, in a folder of its own, as on a models volume.
   */
  private static Path extraModelFolder() throws IOException {
    Path source = Manifests.ROOT.resolve("models/tokenizers/bert-base-uncased");
    Path target = Files.createDirectories(temp.resolve("models/extra-bert"));
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    TinyModelFolders.gpt2Tiny(temp.resolve("models/tiny-gpt"));
    return target.getParent();
  }

  /** The container's user is not the one running the test: the bound folders must be readable. */
  private static void readableByAll(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.toList()) {
        Files.setPosixFilePermissions(
            path,
            PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (lmserve != null) {
      lmserve.stop();
    }
  }

  private static URI url(String path) {
    return URI.create(
        "http://" + lmserve.getHost() + ":" + lmserve.getMappedPort(containerPort) + path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode post(String path, String json) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(url(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  @Order(1)
  void runsAsTheManifestsNonRootUserOnAReadOnlyRoot() throws Exception {
    PodSecurityContext security = manifest.getSpec().getTemplate().getSpec().getSecurityContext();
    String imageUser =
        DockerClientFactory.lazyClient().inspectImageCmd(IMAGE).exec().getConfig().getUser();
    assertThat(imageUser).isEqualTo(security.getRunAsUser() + ":" + security.getRunAsGroup());
    assertThat(lmserve.execInContainer("id", "-u").getStdout().strip())
        .isEqualTo(String.valueOf(security.getRunAsUser()));
    assertThat(lmserve.execInContainer("sh", "-c", "touch /app/written").getExitCode())
        .as("the root file system is read-only")
        .isNotZero();
  }

  /** The Vector API module is on, and the heap follows the container's limit (MaxRAMPercentage). */
  @Test
  @Order(2)
  void jvmFlagsAndContainerMemory() throws Exception {
    assertThat(lmserve.getLogs()).contains("Using incubator modules: jdk.incubator.vector");
    long limit =
        Quantity.getAmountInBytes(spec.getResources().getLimits().get("memory")).longValueExact();
    Matcher percentage =
        Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
            .matcher(spec.getEnv().stream().map(env -> env.getValue()).toList().toString());
    assertThat(percentage.find()).as("MaxRAMPercentage in the Deployment's env").isTrue();
    double heapMax =
        metricSum(get("/actuator/prometheus").body(), "jvm_memory_max_bytes", "area=\"heap\"");
    double expected = limit * Integer.parseInt(percentage.group(1)) / 100.0;
    assertThat(heapMax).isBetween(expected * 0.95, expected * 1.01);
  }

  @Test
  @Order(3)
  void tokenizesWithTheImagesModelsAndAModelFromTheVolume() throws Exception {
    JsonNode gpt2 = post("/v1/tokenize", "{\"model\":\"gpt2\",\"text\":\"Hello world!\"}");
    assertThat(gpt2.get("ids").toString()).isEqualTo("[15496,995,0]");
    String text = "{\"model\":\"%s\",\"text\":\"Deployment on Kubernetes, scaled out.\"}";
    JsonNode inImage = post("/v1/tokenize", text.formatted("bert-base-uncased"));
    JsonNode fromVolume = post("/v1/tokenize", text.formatted("extra-bert"));
    assertThat(fromVolume.get("ids")).isEqualTo(inImage.get("ids"));
    assertThat(fromVolume.get("ids").size()).isGreaterThan(5);
    assertThat(get("/v1/models").body())
        .contains("\"extra-bert\"", "\"gpt2\"", "\"bert-base-uncased\"");
  }

  @Test
  @Order(4)
  void prometheusScrapeShowsTheRequests() throws Exception {
    post("/v1/tokenize", "{\"model\":\"gpt2\",\"text\":\"counted\"}");
    String scrape = get("/actuator/prometheus").body();
    assertThat(metricSum(scrape, "http_server_requests_seconds_count", "uri=\"/v1/tokenize\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(metricSum(scrape, "process_cpu_usage", "")).isGreaterThanOrEqualTo(0);
    assertThat(metricSum(scrape, "jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
  }

  /**
   * The resident set after start-up and some traffic stays under the Deployment's memory request,
   * the figure k8s/README.md sizes from (printed for it).
   */
  @Test
  @Order(5)
  void residentMemoryFitsTheRequest() throws Exception {
    for (int i = 0; i < 200; i++) {
      post(
          "/v1/encode",
          "{\"model\":\"bert-base-uncased\",\"texts\":[\"%s\"]}".formatted("word ".repeat(i)));
    }
    String status = lmserve.execInContainer("cat", "/proc/1/status").getStdout();
    Matcher rss = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
    assertThat(rss.find()).as("VmRSS of the JVM").isTrue();
    long bytes = Long.parseLong(rss.group(1)) * 1024;
    long request =
        Quantity.getAmountInBytes(spec.getResources().getRequests().get("memory")).longValueExact();
    System.out.printf(
        "lmserve container RSS after 200 encode requests: %d MiB (request %d MiB)%n",
        bytes >> 20, request >> 20);
    assertThat(bytes).isLessThan(request);
  }

  /**
   * SIGTERM, as the kubelet sends after preStop, while a generation streams: the stream must still
   * end with its {@code done} event (the generation finishes, or is cancelled when
   * lmserve.generation.shutdown-grace is over), the web server must drain and the JVM exit within
   * what the grace period leaves after preStop. The tiny model generates in microseconds, so the
   * container's CPU is throttled until the signal is sent, to be sure the stream is still running.
   */
  @Test
  @Order(6)
  void sigtermMidStreamEndsTheStreamCleanlyWithinTheGracePeriod() throws Exception {
    PodSpec pod = manifest.getSpec().getTemplate().getSpec();
    long preStop = Long.parseLong(spec.getLifecycle().getPreStop().getExec().getCommand().get(1));
    Duration budget = Duration.ofSeconds(pod.getTerminationGracePeriodSeconds() - preStop);
    DockerClient docker = DockerClientFactory.lazyClient();
    String id = lmserve.getContainerId();

    docker.updateContainerCmd(id).withCpuPeriod(100_000L).withCpuQuota(2_000L).exec();
    HttpResponse<Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(url("/v1/generate/stream"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"tiny-gpt\",\"prompt\":\"Hello\",\"max_new_tokens\":100,\"seed\":7}"))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    Iterator<String> lines = response.body().iterator();
    List<String> events = new ArrayList<>();
    String lastData = null;
    while (events.isEmpty() && lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("event: ")) {
        events.add(line.substring(7));
      }
    }
    assertThat(events).as("first event").containsExactly("token");

    Instant sent = Instant.now();
    docker.killContainerCmd(id).withSignal("SIGTERM").exec();
    docker.updateContainerCmd(id).withCpuQuota(-1L).exec();
    try (ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> rest =
          reader.submit(
              () -> {
                String data = null;
                while (lines.hasNext()) {
                  String line = lines.next();
                  if (line.startsWith("event: ")) {
                    events.add(line.substring(7));
                  } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                  }
                }
                return data;
              });
      lastData = rest.get(budget.toMillis(), TimeUnit.MILLISECONDS);
    }
    assertThat(events.getLast()).as("the stream's last event").isEqualTo("done");
    assertThat(events.subList(0, events.size() - 1)).containsOnly("token");
    String finishReason = JSON.readTree(lastData).get("finish_reason").asString();
    assertThat(finishReason).isIn("length", "eos", "cancelled");

    InspectContainerResponse.ContainerState state =
        docker.inspectContainerCmd(id).exec().getState();
    while (Boolean.TRUE.equals(state.getRunning())) {
      assertThat(Duration.between(sent, Instant.now())).as("exit after SIGTERM").isLessThan(budget);
      Thread.sleep(100);
      state = docker.inspectContainerCmd(id).exec().getState();
    }
    assertThat(state.getExitCodeLong()).as("exit status after SIGTERM (128 + 15)").isEqualTo(143L);
    assertThat(lmserve.getLogs())
        .contains("Commencing graceful shutdown", "Graceful shutdown complete");
    System.out.printf(
        "SIGTERM mid-stream: %d events, done (%s), JVM exited %d ms after the signal (budget %d s)%n",
        events.size(),
        finishReason,
        Duration.between(sent, Instant.now()).toMillis(),
        budget.toSeconds());
  }

  /** The sum of one metric's samples whose labels contain {@code labelPart}. */
  private static double metricSum(String scrape, String metric, String labelPart) {
    double sum = 0;
    boolean seen = false;
    for (String line : scrape.lines().toList()) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        int valueStart = line.lastIndexOf(' ');
        if (line.substring(0, valueStart).contains(labelPart)) {
          double value = Double.parseDouble(line.substring(valueStart + 1));
          sum += value > 0 ? value : 0; // -1 means "no maximum" for a memory pool
          seen = true;
        }
      }
    }
    assertThat(seen).as("%s{%s} in the scrape", metric, labelPart).isTrue();
    return sum;
  }
}
