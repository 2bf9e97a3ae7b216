package io.lmserve.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the reference data in {@code ../shared} beside the checkout.
 *
 * <p>Under {@code CI=true} a missing file fails the test; elsewhere the test is skipped with a
 * message saying what is missing, so a developer without the data still gets a green build of the
 * rest.
 */
public final class SharedData {

  private SharedData() {}

  /**
   * The checkout's root: the {@code lmserve.root} property the build sets, else the working folder.
   */
  public static Path projectRoot() {
    String root = System.getProperty("lmserve.root");
    return Path.of(root != null ? root : "").toAbsolutePath().normalize();
  }

  /**
   * {@code ../shared/<relative>}, which must exist (see the class comment for what happens if not).
   */
  public static Path path(String relative) {
    Path path = projectRoot().resolveSibling("shared").resolve(relative);
    if (!Files.exists(path)) {
      String message =
          "reference data missing: " + path + " (the repository expects ../shared beside it)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message);
      }
      Assumptions.abort(message);
    }
    return path;
  }
}
