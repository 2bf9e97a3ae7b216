package io.lmserve.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * PyTorch running the reference's HF-faithful {@code refmodels.py} (Debian {@code python3-torch},
 * OpenBLAS) in a long-lived python process ({@code engine_bench.py}) on the same number of threads
 * as lmserve. Each command is timed inside python around its own work.
 */
final class TorchEngine implements Engine {

  private final PythonWorker worker;
  private final String name;

  TorchEngine(Path referenceDir, Path model, int threads) throws IOException {
    String n = Integer.toString(threads);
    worker =
        new PythonWorker(
            "engine_bench.py",
            List.of(referenceDir.toString(), n),
            Map.of("OMP_NUM_THREADS", n, "OPENBLAS_NUM_THREADS", n));
    name = "PyTorch " + worker.ready().path("torch").asString();
    worker.ask("load " + model);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public double prefill(int tokens) {
    return wall("prefill " + tokens);
  }

  @Override
  public double decode(int batch, int prompt, int newTokens) {
    return wall("decode " + batch + " " + prompt + " " + newTokens);
  }

  @Override
  public double maskedLm(int batch, int length) {
    return wall("bert " + batch + " " + length);
  }

  private double wall(String command) {
    return worker.ask(command).get("wall").asDouble();
  }

  @Override
  public void close() {
    worker.close();
  }
}
