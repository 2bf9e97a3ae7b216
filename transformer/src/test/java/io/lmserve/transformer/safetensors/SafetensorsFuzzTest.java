package io.lmserve.transformer.safetensors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lmserve.transformer.ModelLoadException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files nobody wrote by hand: random byte changes in the header and random truncations of a
 * valid file either still open (and then every tensor reads within its bounds) or fail with a
 * {@link ModelLoadException}, never another exception.
 */
class SafetensorsFuzzTest {

  @TempDir Path dir;

  @Test
  void damagedFilesOpenCleanlyOrFailWithAModelLoadException() throws Exception {
    byte[] valid =
        Files.readAllBytes(
            new SafetensorsWriter()
                .f32("layer.weight", new long[] {3, 4}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
                .f32("layer.bias", new long[] {3}, 0.5f, -0.5f, 1)
                .raw("ids", DType.I64, new long[] {2}, new byte[16])
                .write(dir.resolve("valid.safetensors")));
    int headerEnd = 8 + (int) (valid[0] & 0xff) + ((valid[1] & 0xff) << 8);
    Random random = new Random(11);
    Path file = dir.resolve("damaged.safetensors");
    int opened = 0;
    int refused = 0;
    for (int trial = 0; trial < 200; trial++) {
      byte[] bytes;
      if (trial % 5 == 0) {
        bytes = Arrays.copyOf(valid, random.nextInt(valid.length));
      } else {
        bytes = valid.clone();
        for (int k = 0; k <= random.nextInt(3); k++) {
          int at = random.nextInt(headerEnd);
          bytes[at] =
              (byte)
                  (trial % 2 == 0
                      ? random.nextInt(256)
                      : "{}[],:\\\"0123456789-e".charAt(random.nextInt(20)));
        }
      }
      Files.write(file, bytes);
      try (Arena arena = Arena.ofConfined()) {
        SafetensorsFile f = SafetensorsFile.open(file, arena);
        for (TensorInfo info : f.tensors().values()) {
          Tensor t = f.tensor(info.name()).orElseThrow();
          if (info.dtype().isComputeType() && t.elementCount() > 0) {
            t.getFloat(t.elementCount() - 1);
          }
        }
        opened++;
      } catch (ModelLoadException expected) {
        refused++;
      } catch (RuntimeException e) {
        fail("trial " + trial + ": " + e, e);
      }
    }
    // Both outcomes occur, so the damage is neither always fatal nor always harmless.
    assertTrue(opened > 0 && refused > 0, opened + " opened, " + refused + " refused");
  }
}
