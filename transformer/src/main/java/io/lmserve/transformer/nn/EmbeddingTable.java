package io.lmserve.transformer.nn;

/**
 * A table of vectors looked up by index (token and position embeddings): the rows of a stored
 * matrix, or the columns of a {@link PanelMatrix} when an LM head packed in place shares the
 * embedding's memory (tied weights). A column is read with a stride, one cache line per element; a
 * prompt's lookups stay far below one product's reads.
 */
public record EmbeddingTable(WeightMatrix rows, PanelMatrix columns) {

  public EmbeddingTable {
    if ((rows == null) == (columns == null)) {
      throw new IllegalArgumentException("an embedding table is rows or columns, not both");
    }
  }

  public static EmbeddingTable ofRows(WeightMatrix rows) {
    return new EmbeddingTable(rows, null);
  }

  public static EmbeddingTable ofColumns(PanelMatrix columns) {
    return new EmbeddingTable(null, columns);
  }

  /** Entries in the table. */
  public int size() {
    return rows != null ? rows.rows() : columns.out();
  }

  /** Entry {@code index} into {@code dst[off, off + width)}. */
  public void read(int index, float[] dst, int off, Kernels kernels) {
    if (rows != null) {
      kernels.readRow(rows, index, dst, off);
    } else {
      columns.readColumn(index, dst, off);
    }
  }
}
