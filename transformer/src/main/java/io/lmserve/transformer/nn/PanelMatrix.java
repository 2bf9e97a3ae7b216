package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * An F32 {@code [in, out]} matrix (y = x·W) laid out in column panels: panel {@code p} holds
 * columns {@code [p·WIDTH, p·WIDTH + width(p))} for every input row, row after row, so the panel is
 * one contiguous run of {@code in · width(p)} floats; only the last panel may be narrower. A
 * product then reads the matrix as a few long sequential streams whatever the number of input rows,
 * and the partial sums of a panel's columns stay in registers for the whole of {@code in}. Stored
 * row-major instead, a batched decode walks every stored row in short pieces (a dozen streams at
 * once, which the hardware prefetchers do not keep ahead of), and a prefill copies each panel out
 * of the row-major matrix first.
 *
 * <p>Packing is done in place ({@link #packInPlace}): the same bytes, rearranged, so a model holds
 * its weights once.
 */
public record PanelMatrix(String name, MemorySegment data, int in, int out) {

  /** Columns per panel: the {@link Microkernel}'s three vectors. */
  public static final int WIDTH = Microkernel.WIDTH;

  private static final ValueLayout.OfFloat F32_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  public PanelMatrix {
    if (data.byteSize() != 4L * in * out) {
      throw new IllegalArgumentException(
          name + ": " + data.byteSize() + " bytes for " + in + "x" + out + " floats");
    }
  }

  /**
   * Rearranges {@code w}'s F32 memory into panels and returns the matrix over it. {@code w} stored
   * {@code [in, out]} is the matrix itself; stored {@code [out, in]} ({@code transposed}) it is its
   * transpose. Afterwards {@code w} no longer reads as row-major: the caller hands over its memory.
   */
  public static PanelMatrix packInPlace(WeightMatrix w, boolean transposed) {
    if (w.dtype() != DType.F32) {
      throw new IllegalArgumentException(w.name() + ": panels hold F32, not " + w.dtype());
    }
    int in = transposed ? w.cols() : w.rows();
    int out = transposed ? w.rows() : w.cols();
    MemorySegment seg = w.data();
    if (transposed) {
      // Panel p is stored rows [p·WIDTH, +width) of [out, in]: the same bytes, transposed.
      float[] rows = new float[WIDTH * in];
      for (int p = 0; p < panels(out); p++) {
        int width = width(p, out);
        long base = panelOffset(p, in);
        MemorySegment.copy(seg, F32_LE, base, rows, 0, width * in);
        for (int j = 0; j < width; j++) {
          for (int i = 0; i < in; i++) {
            seg.set(F32_LE, base + 4L * (i * width + j), rows[j * in + i]);
          }
        }
      }
    } else {
      float[] all = new float[Math.multiplyExact(in, out)];
      MemorySegment.copy(seg, F32_LE, 0, all, 0, all.length);
      for (int p = 0; p < panels(out); p++) {
        int width = width(p, out);
        long base = panelOffset(p, in);
        for (int i = 0; i < in; i++) {
          MemorySegment.copy(all, i * out + p * WIDTH, seg, F32_LE, base + 4L * i * width, width);
        }
      }
    }
    return new PanelMatrix(w.name(), seg, in, out);
  }

  /** A packed copy of the row-major {@code [in, out]} {@code values} (tests, small matrices). */
  public static PanelMatrix of(String name, float[] values, int in, int out) {
    return packInPlace(WeightMatrix.ofFloats(name, values.clone(), in, out), false);
  }

  /** Panels of a matrix with {@code out} columns. */
  public static int panels(int out) {
    return (out + WIDTH - 1) / WIDTH;
  }

  public int panels() {
    return panels(out);
  }

  /** Columns in panel {@code p}. */
  public static int width(int p, int out) {
    return Math.min(WIDTH, out - p * WIDTH);
  }

  public int width(int p) {
    return width(p, out);
  }

  /** Byte offset of panel {@code p}'s first element (every panel before it is full). */
  public long panelOffset(int p) {
    return panelOffset(p, in);
  }

  private static long panelOffset(int p, int in) {
    return 4L * p * WIDTH * in;
  }

  /** Element {@code [i, c]} of the matrix. */
  public float get(int i, int c) {
    int p = c / WIDTH;
    return data.get(F32_LE, panelOffset(p) + 4L * ((long) i * width(p) + c - p * WIDTH));
  }

  /** Column {@code c} (input row by input row) into {@code dst[off, off + in)}. */
  public void readColumn(int c, float[] dst, int off) {
    int p = c / WIDTH;
    int width = width(p);
    long at = panelOffset(p) + 4L * (c - p * WIDTH);
    for (int i = 0; i < in; i++) {
      dst[off + i] = data.get(F32_LE, at + 4L * i * width);
    }
  }
}
