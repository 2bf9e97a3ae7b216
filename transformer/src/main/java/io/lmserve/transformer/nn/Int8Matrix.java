package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.Tensor;

/**
 * A weight matrix quantized to int8 at load time: each output's inputs are cut into blocks of
 * {@link #BLOCK}, and each block keeps one float scale ({@code max |w| / 127}) and its values
 * rounded to {@code w / scale} (GGML's Q8_0 scheme, with an F32 rather than F16 scale). A decode
 * step then reads a quarter of the F32 bytes.
 *
 * <p>Laid out in column panels like {@link PanelMatrix}: panel {@code p} holds outputs {@code
 * [p·WIDTH, p·WIDTH + width(p))}; its values input after input ({@code width} bytes each), its
 * scales block after block ({@code width} floats each). A product streams a panel front to back and
 * widens each weight once for every row of x.
 */
public final class Int8Matrix {

  /** Inputs per scale. */
  public static final int BLOCK = 32;

  private static final int WIDTH = PanelMatrix.WIDTH;

  private final String name;
  private final int rows;
  private final int cols;
  private final int blocksPerRow;
  final byte[] values;
  final float[] scales;

  private Int8Matrix(String name, int rows, int cols) {
    if ((long) rows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          name + ": " + rows + "x" + cols + " is too large for int8");
    }
    this.name = name;
    this.rows = rows;
    this.cols = cols;
    this.blocksPerRow = (cols + BLOCK - 1) / BLOCK;
    this.values = new byte[rows * cols];
    this.scales = new float[rows * blocksPerRow];
  }

  /**
   * Quantizes {@code w}; with {@code transpose} the stored matrix is {@code [in, out]} and is
   * turned into {@code [out, in]}. Blocks of rows are spread over the pool.
   */
  public static Int8Matrix quantize(WeightMatrix w, boolean transpose, WorkerPool pool) {
    int out = transpose ? w.cols() : w.rows();
    int in = transpose ? w.rows() : w.cols();
    return quantize(
        w.name(),
        out,
        in,
        pool,
        (o, row) -> {
          for (int i = 0; i < in; i++) {
            long index = transpose ? (long) i * out + o : (long) o * in + i;
            row[i] = Tensor.readFloat(w.data(), w.dtype(), index);
          }
        });
  }

  /** Quantizes the matrix in {@code w}'s panels: output {@code o}'s inputs are its column. */
  public static Int8Matrix quantize(PanelMatrix w, WorkerPool pool) {
    return quantize(w.name(), w.out(), w.in(), pool, (o, row) -> w.readColumn(o, row, 0));
  }

  /** Writes output {@code o}'s weights, input by input, into {@code row}. */
  private interface RowSource {
    void read(int o, float[] row);
  }

  private static Int8Matrix quantize(
      String name, int out, int in, WorkerPool pool, RowSource source) {
    Int8Matrix q = new Int8Matrix(name, out, in);
    pool.parallelFor(
        out,
        64,
        (from, to) -> {
          float[] row = new float[in];
          for (int o = from; o < to; o++) {
            source.read(o, row);
            for (int b = 0; b < q.blocksPerRow; b++) {
              q.setBlock(o, b, row, Math.min(BLOCK, in - b * BLOCK));
            }
          }
        });
    return q;
  }

  /** Block {@code block} of output {@code row} from {@code v[block·BLOCK, +len)}. */
  private void setBlock(int row, int block, float[] v, int len) {
    int c0 = block * BLOCK;
    float max = 0f;
    for (int j = 0; j < len; j++) {
      max = Math.max(max, Math.abs(v[c0 + j]));
    }
    float scale = max / 127f;
    scales[scaleIndex(row, block)] = scale;
    float inv = scale == 0f ? 0f : 1f / scale;
    for (int j = 0; j < len; j++) {
      values[valueIndex(row, c0 + j)] = (byte) Math.round(v[c0 + j] * inv);
    }
  }

  private int valueIndex(int row, int col) {
    int p = row / WIDTH;
    return valueBase(p) + col * width(p) + row - p * WIDTH;
  }

  private int scaleIndex(int row, int block) {
    int p = row / WIDTH;
    return scaleBase(p) + block * width(p) + row - p * WIDTH;
  }

  /** Panels of outputs. */
  public int panels() {
    return PanelMatrix.panels(rows);
  }

  /** Outputs in panel {@code p}. */
  public int width(int p) {
    return PanelMatrix.width(p, rows);
  }

  /** Index of panel {@code p}'s first value. */
  int valueBase(int p) {
    return p * WIDTH * cols;
  }

  /** Index of panel {@code p}'s first scale. */
  int scaleBase(int p) {
    return p * WIDTH * blocksPerRow;
  }

  /** Panel {@code p} dequantized, {@code dst[i·width + j] = get(p·WIDTH + j, i)}. */
  void fillPanel(int p, float[] dst) {
    int width = width(p);
    int at = valueBase(p);
    for (int i = 0; i < cols; i++) {
      int scaleAt = scaleBase(p) + i / BLOCK * width;
      for (int j = 0; j < width; j++) {
        dst[i * width + j] = values[at + i * width + j] * scales[scaleAt + j];
      }
    }
  }

  public String name() {
    return name;
  }

  /** Outputs. */
  public int rows() {
    return rows;
  }

  /** Inputs. */
  public int cols() {
    return cols;
  }

  int blocksPerRow() {
    return blocksPerRow;
  }

  /** The dequantized value at {@code [row, col]}. */
  public float get(int row, int col) {
    return values[valueIndex(row, col)] * scales[scaleIndex(row, col / BLOCK)];
  }

  /** Bytes held (values and scales). */
  public long byteSize() {
    return values.length + 4L * scales.length;
  }
}
