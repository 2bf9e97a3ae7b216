package io.lmserve.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.LmserveApplication;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The page at / in a real browser (headless Debian Chromium): its script fetches the models,
 * tokenizes the text from the link and colours the tokens. Checked twice: in the DOM the script
 * built, and in a screenshot, where the token colours must show.
 */
@SpringBootTest(
    classes = LmserveApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebPageIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Pattern TOKEN_SPAN =
      Pattern.compile(
          "<span [^>]*data-id=\"(\\d+)\" class=\"(tok t\\d|special)\"[^>]*>([^<]*)</span>");

  private static final Pattern CANDIDATE_ROW = Pattern.compile("<tr data-token=\"([^\"]*)\">");

  @DynamicPropertySource
  static void tinyModels(DynamicPropertyRegistry properties) {
    RunningService.serveTinyModels(properties);
  }

  @LocalServerPort int port;
  @TempDir Path temp;

  @BeforeEach
  void browserAndModels() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      String message = "headless browser missing: " + CHROMIUM + " (apt-get install chromium)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message);
      }
      Assumptions.abort(message);
    }
    new RunningService(port).awaitReady();
  }

  private URI url(String path) {
    return new RunningService(port).url(path);
  }

  private String page(String model, String text) {
    return url("/?model=" + model + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8))
        .toString()
        .replace("+", "%20");
  }

  /**
   * Runs the browser on {@code url} until the page is idle, with {@code args} saying what to keep.
   */
  private String chromium(String url, String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + temp.resolve("profile"),
                "--virtual-time-budget=15000"));
    command.addAll(List.of(args));
    command.add(url);
    Process process =
        new ProcessBuilder(command).redirectError(temp.resolve("chromium.log").toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return out;
  }

  @Test
  void tokensAreShownWithTheirIds() throws Exception {
    String dom = chromium(page("bert-base-uncased", "Hello world"), "--dump-dom");
    List<String> spans = new ArrayList<>();
    Matcher m = TOKEN_SPAN.matcher(dom);
    while (m.find()) {
      spans.add(m.group(1) + " " + m.group(2).replaceAll(" t\\d", "") + " " + m.group(3));
    }
    assertThat(spans)
        .containsExactly(
            "101 special [CLS]", "7592 tok Hello", "2088 tok world", "102 special [SEP]");
    assertThat(dom).contains("4 tokens").contains("wordpiece");
  }

  @Test
  void screenshotShowsColouredTokens() throws Exception {
    Path png = temp.resolve("page.png");
    chromium(
        page("gpt2", "Hello world! Tokens are coloured."),
        "--window-size=1000,700",
        "--screenshot=" + png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG screenshot").isNotNull();
    assertThat(image.getWidth()).isEqualTo(1000);
    // The first two tokens get the page's first two token colours (style.css .t0 and .t1).
    assertThat(pixels(image, 0xfde68a)).as("pixels of .t0").isGreaterThan(100);
    assertThat(pixels(image, 0xbfdbfe)).as("pixels of .t1").isGreaterThan(100);
  }

  /**
   * The page streams a generation, watched live until it says how it finished: its token spans are
   * the tokens the API generates.
   */
  @Test
  void generationStreamsIntoThePage() throws Exception {
    String prompt = "Hello world";
    String link =
        url("/?prompt="
                + URLEncoder.encode(prompt, StandardCharsets.UTF_8).replace("+", "%20")
                + "&max_new_tokens=8&temperature=0")
            .toString();
    JsonNode ids;
    JsonNode status;
    try (DevToolsPage page = DevToolsPage.open(CHROMIUM, temp.resolve("devtools"), link)) {
      status =
          page.await(
              "document.getElementById('gen-status')?.textContent ?? ''",
              value -> value.asString().startsWith("finish_reason"),
              Duration.ofSeconds(60));
      ids =
          page.evaluate(
              "[...document.querySelectorAll('#generated span')].map(s => Number(s.dataset.id))");
    }
    JsonNode api =
        JsonMapper.shared()
            .readTree(
                post(
                    "/v1/generate",
                    "{\"prompt\":\"" + prompt + "\",\"max_new_tokens\":8,\"temperature\":0}"));
    List<Integer> expected = new ArrayList<>();
    api.get("tokens").forEach(t -> expected.add(t.get("id").asInt()));
    List<Integer> shown = new ArrayList<>();
    ids.forEach(id -> shown.add(id.asInt()));
    assertThat(shown).isNotEmpty().containsExactlyElementsOf(expected);
    assertThat(status.asString()).contains("finish_reason: " + api.get("finish_reason").asString());
  }

  /** The page fills a mask: its rows are the API's candidates, most likely first. */
  @Test
  void fillMaskShowsTheCandidates() throws Exception {
    String text = "! [MASK] !";
    String dom =
        chromium(
            url("/?mask=" + URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"))
                .toString(),
            "--dump-dom");
    List<String> rows = new ArrayList<>();
    Matcher m = CANDIDATE_ROW.matcher(dom);
    while (m.find()) {
      rows.add(m.group(1));
    }
    JsonNode api =
        JsonMapper.shared().readTree(post("/v1/fill-mask", "{\"text\":\"" + text + "\"}"));
    List<String> expected = new ArrayList<>();
    api.forEach(c -> expected.add(c.get("token_str").asString()));
    assertThat(rows).hasSize(5).containsExactlyElementsOf(expected);
  }

  private String post(String path, String json) throws IOException, InterruptedException {
    return new RunningService(port).post(path, json).body();
  }

  private static int pixels(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }
}
