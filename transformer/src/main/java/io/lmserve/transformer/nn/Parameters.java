package io.lmserve.transformer.nn;

import io.lmserve.transformer.ModelLoadException;
import io.lmserve.transformer.safetensors.Checkpoint;
import io.lmserve.transformer.safetensors.DType;
import io.lmserve.transformer.safetensors.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Named, shape-checked access to a checkpoint's tensors under HF's naming variants: each name is
 * tried under every prefix (e.g. {@code "transformer."} then none), and LayerNorm parameters also
 * under their legacy TensorFlow names {@code gamma} / {@code beta}.
 */
public final class Parameters {

  private final Checkpoint checkpoint;
  private final List<String> prefixes;

  /** Tensors whose memory a packed layer took over. */
  private final Set<String> packed = new HashSet<>();

  public Parameters(Checkpoint checkpoint, String... prefixes) {
    this.checkpoint = checkpoint;
    this.prefixes = List.of(prefixes);
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** The tensor called {@code name} under any accepted prefix, if present. */
  public Optional<Tensor> find(String name) {
    for (String candidate : candidates(name)) {
      Optional<Tensor> t = checkpoint.find(candidate);
      if (t.isPresent()) {
        return t;
      }
    }
    return Optional.empty();
  }

  private List<String> candidates(String name) {
    List<String> out = new ArrayList<>();
    for (String prefix : prefixes) {
      out.add(prefix + name);
    }
    return out;
  }

  /** A required matrix of shape {@code [rows, cols]}, left in place. */
  public WeightMatrix matrix(String name, int rows, int cols) throws ModelLoadException {
    Tensor t = require(name, rows, cols);
    return new WeightMatrix(t.name(), t.data(), t.dtype(), rows, cols);
  }

  /** An optional matrix; present but misshapen is an error. */
  public Optional<WeightMatrix> optionalMatrix(String name, int rows, int cols)
      throws ModelLoadException {
    if (find(name).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(matrix(name, rows, cols));
  }

  /** A required vector of length {@code n}, copied to a float array. */
  public float[] vector(String name, int n) throws ModelLoadException {
    return require(name, n).toFloatArray();
  }

  /** {@code <base>.weight} / {@code <base>.bias}, or the legacy {@code gamma} / {@code beta}. */
  public LayerNorm layerNorm(String base, int n, double eps) throws ModelLoadException {
    return new LayerNorm(
        vector(legacyOr(base, ".weight", ".gamma"), n),
        vector(legacyOr(base, ".bias", ".beta"), n),
        eps);
  }

  /** {@code base + modern}, unless only the legacy name is stored. */
  private String legacyOr(String base, String modern, String legacy) {
    boolean onlyLegacy = find(base + modern).isEmpty() && find(base + legacy).isPresent();
    return base + (onlyLegacy ? legacy : modern);
  }

  /**
   * A {@link Linear} from {@code <base>.weight} and {@code <base>.bias} in {@code layout}. F32
   * weights are packed into column panels in the checkpoint's memory ({@link Linear#packed}), where
   * every product reads them as long sequential streams; the tensor is then no longer readable as
   * stored, so it must not be shared with another layer.
   */
  public Linear linear(String base, int in, int out, Linear.Layout layout)
      throws ModelLoadException {
    WeightMatrix w =
        layout == Linear.Layout.OUT_IN
            ? matrix(base + ".weight", out, in)
            : matrix(base + ".weight", in, out);
    float[] bias = vector(base + ".bias", out);
    if (w.dtype() == DType.F32) {
      if (!packed.add(w.name())) {
        throw new ModelLoadException(w.name() + " is already packed for another layer");
      }
      return Linear.packed(w, bias, layout);
    }
    return new Linear(w, bias, layout);
  }

  private Tensor require(String name, long... shape) throws ModelLoadException {
    Tensor t =
        find(name)
            .orElseThrow(
                () ->
                    new ModelLoadException(
                        checkpoint.description()
                            + ": missing tensor '"
                            + name
                            + "' (looked for "
                            + String.join(", ", candidates(name))
                            + ")"));
    if (!t.info().hasShape(shape)) {
      throw new ModelLoadException(
          checkpoint.description()
              + ": tensor '"
              + t.name()
              + "' has shape "
              + t.info().shapeString()
              + " but config.json implies "
              + Arrays.toString(shape));
    }
    if (!t.dtype().isComputeType()) {
      throw new ModelLoadException(
          checkpoint.description()
              + ": tensor '"
              + t.name()
              + "' has unsupported dtype "
              + t.dtype()
              + " (supported: F32, F16, BF16)");
    }
    return t;
  }
}
