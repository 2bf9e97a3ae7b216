package io.lmserve.transformer.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.transformer.ModelLoadException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class SafetensorsFileTest {

  @TempDir Path dir;

  private SafetensorsWriter twoTensors() {
    return new SafetensorsWriter()
        .f32("a", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)
        .f32("b", new long[] {2}, -1.5f, 7);
  }

  private String open(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      SafetensorsFile f = SafetensorsFile.open(file, arena);
      return f.tensors().keySet().toString();
    }
  }

  private ModelLoadException failure(Path file) {
    return assertThrows(ModelLoadException.class, () -> open(file));
  }

  @Test
  void readsTensorsInPlaceWithMetadata() throws IOException {
    Path file = twoTensors().write(dir.resolve("ok.safetensors"));
    try (Arena arena = Arena.ofConfined()) {
      SafetensorsFile f = SafetensorsFile.open(file, arena);
      assertEquals("pt", f.metadata().get("format"));
      Tensor a = f.tensor("a").orElseThrow();
      assertTrue(a.info().hasShape(2, 3));
      assertEquals(6f, a.getFloat(5));
      assertEquals("[-1.5, 7.0]", Arrays.toString(f.tensor("b").orElseThrow().toFloatArray()));
      assertTrue(f.tensor("c").isEmpty());
    }
  }

  @Test
  void widensHalfPrecisionExactly() throws IOException {
    float[] values = {
      0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, Float.POSITIVE_INFINITY
    };
    ByteBuffer f16 = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer bf16 = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      f16.putShort(Float.floatToFloat16(v));
      bf16.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
    }
    long[] shape = {values.length};
    Path file =
        new SafetensorsWriter()
            .raw("h", DType.F16, shape, f16.array())
            .raw("b", DType.BF16, shape, bf16.array())
            .write(dir.resolve("half.safetensors"));
    try (Arena arena = Arena.ofConfined()) {
      SafetensorsFile f = SafetensorsFile.open(file, arena);
      float[] h = f.tensor("h").orElseThrow().toFloatArray();
      float[] b = f.tensor("b").orElseThrow().toFloatArray();
      for (int i = 0; i < values.length; i++) {
        assertEquals(values[i], h[i], "f16 " + values[i]);
        float truncated = Float.intBitsToFloat(Float.floatToRawIntBits(values[i]) & 0xffff0000);
        assertEquals(truncated, b[i], "bf16 " + values[i]);
      }
    }
  }

  @Test
  void truncatedFileNamesTheTensorThatRunsPastTheEnd() throws IOException {
    Path file = twoTensors().write(dir.resolve("t.safetensors"));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
    ModelLoadException e = failure(file);
    assertTrue(
        e.getMessage().contains("'b'") && e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void fileShorterThanItsHeaderOrItsLengthField() throws IOException {
    Path file = twoTensors().write(dir.resolve("t.safetensors"));
    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 20));
    assertTrue(failure(file).getMessage().contains("does not fit"));
    Files.write(file, new byte[] {1, 2, 3});
    assertTrue(failure(file).getMessage().contains("too short"));
  }

  @Test
  void absurdHeaderLengthIsRefusedBeforeReading() throws IOException {
    Path file = dir.resolve("huge.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-2L).putLong(0);
    Files.write(file, b.array());
    assertTrue(failure(file).getMessage().contains("not plausible"));
  }

  @Test
  void badHeaderJson() throws IOException {
    Path file = twoTensors().write(dir.resolve("j.safetensors"), "{\"a\": {\"dtype\": \"F32\",");
    assertTrue(failure(file).getMessage().contains("not valid JSON"), failure(file).getMessage());
    Path array = twoTensors().write(dir.resolve("k.safetensors"), "[1, 2]");
    assertTrue(failure(array).getMessage().contains("not a JSON object"));
  }

  @Test
  void duplicateTensorNamesAreRejected() throws IOException {
    String json =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
    Path file =
        new SafetensorsWriter()
            .f32("x", new long[] {4}, 1, 2, 3, 4)
            .write(dir.resolve("d.safetensors"), json);
    assertTrue(failure(file).getMessage().contains("not valid JSON"), failure(file).getMessage());
  }

  @Test
  void overlappingOffsetsNameBothTensors() throws IOException {
    SafetensorsWriter w = twoTensors();
    ObjectNode header = w.header();
    ((ObjectNode) header.get("b")).putArray("data_offsets").add(16).add(24);
    Path file = w.write(dir.resolve("o.safetensors"), header.toString());
    String message = failure(file).getMessage();
    assertTrue(
        message.contains("overlaps") && message.contains("'a'") && message.contains("'b'"),
        message);
  }

  @Test
  void holesAndTrailingBytesAreRejected() throws IOException {
    SafetensorsWriter w = twoTensors();
    ObjectNode header = w.header();
    ((ObjectNode) header.get("a")).putArray("data_offsets").add(8).add(32);
    ((ObjectNode) header.get("b")).putArray("data_offsets").add(0).add(8);
    ((ObjectNode) header.get("b")).putArray("shape").add(2);
    Path ok = w.write(dir.resolve("reordered.safetensors"), header.toString());
    assertEquals("[a, b]", open(ok)); // any order of byte ranges is fine
    ((ObjectNode) header.get("a")).putArray("data_offsets").add(12).add(36);
    ((ObjectNode) header.get("a")).putArray("shape").add(6);
    String message =
        failure(w.write(dir.resolve("hole.safetensors"), header.toString())).getMessage();
    assertTrue(message.contains("hole before tensor 'a'") || message.contains("'a'"), message);

    SafetensorsWriter short1 =
        new SafetensorsWriter().f32("a", new long[] {2}, 1, 2).f32("pad", new long[] {1}, 0);
    ObjectNode h2 = short1.header();
    h2.remove("pad");
    assertTrue(
        failure(short1.write(dir.resolve("trail.safetensors"), h2.toString()))
            .getMessage()
            .contains("trailing"));
  }

  @Test
  void sizeThatDisagreesWithDtypeAndShape() throws IOException {
    SafetensorsWriter w = twoTensors();
    ObjectNode header = w.header();
    ((ObjectNode) header.get("a")).putArray("shape").add(3).add(3);
    String message = failure(w.write(dir.resolve("s.safetensors"), header.toString())).getMessage();
    assertTrue(message.contains("'a'") && message.contains("needs 36"), message);
  }

  @Test
  void unknownDtypeNegativeOffsetsAndBadMetadata() throws IOException {
    SafetensorsWriter w = twoTensors();
    ObjectNode header = w.header();
    ((ObjectNode) header.get("b")).put("dtype", "F12");
    assertTrue(
        failure(w.write(dir.resolve("u.safetensors"), header.toString()))
            .getMessage()
            .contains("unknown dtype 'F12'"));

    header = w.header();
    ((ObjectNode) header.get("b")).putArray("data_offsets").add(-8).add(0);
    assertTrue(
        failure(w.write(dir.resolve("n.safetensors"), header.toString()))
            .getMessage()
            .contains("'b'"));

    header = w.header();
    ((ObjectNode) header.get("__metadata__")).put("format", 3);
    assertTrue(
        failure(w.write(dir.resolve("m.safetensors"), header.toString()))
            .getMessage()
            .contains("__metadata__"));
  }

  @Test
  void scalarsAndEmptyTensorsAreValid() throws IOException {
    Path file =
        new SafetensorsWriter()
            .f32("scalar", new long[] {}, 3f)
            .f32("empty", new long[] {0, 4})
            .write(dir.resolve("se.safetensors"));
    try (Arena arena = Arena.ofConfined()) {
      SafetensorsFile f = SafetensorsFile.open(file, arena);
      assertEquals(3f, f.tensor("scalar").orElseThrow().getFloat(0));
      assertEquals(0, f.tensor("empty").orElseThrow().elementCount());
    }
  }
}
