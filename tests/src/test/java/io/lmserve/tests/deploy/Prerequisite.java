package io.lmserve.tests.deploy;

import org.junit.jupiter.api.Assumptions;

/**
 * Something a deployment test needs from the machine (a Docker engine, kubectl, the built image).
 * Missing, the test skips with the reason on a developer's machine and fails under {@code CI=true},
 * where {@code .ci/run} provides everything.
 */
final class Prerequisite {

  private Prerequisite() {}

  static void require(boolean present, String whatIsMissing) {
    if (present) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(whatIsMissing + " (required under CI=true)");
    }
    // Printed as well: a class skipped in @BeforeAll shows only as "Tests run: 0" in Maven's
    // summary.
    System.err.println("SKIPPED: " + whatIsMissing);
    Assumptions.abort(whatIsMissing);
  }
}
