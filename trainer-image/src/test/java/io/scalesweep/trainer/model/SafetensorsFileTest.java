package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Half-precision checkpoints arrive as fp32, value for value. */
class SafetensorsFileTest {

  @TempDir Path directory;

  @Test
  void halfAndBfloat16TensorsAreWidenedToFloat32() throws IOException {
    // 1, -2, 65504 (largest half), 2^-24 (smallest subnormal), +inf
    short[] half = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x7c00};
    // 1, -2.5, 3.140625 (pi in bfloat16)
    short[] bf16 = {0x3f80, (short) 0xc020, 0x4049};
    String header =
        "{\"h\":{\"dtype\":\"F16\",\"shape\":[5],\"data_offsets\":[0,10]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,3],\"data_offsets\":[10,16]},"
            + "\"__metadata__\":{\"format\":\"pt\"}}";
    Path file = write(header, half, bf16);

    try (SafetensorsFile tensors = SafetensorsFile.open(file);
        NDManager manager = NDManager.newBaseManager()) {
      NDArray h = tensors.read("h", manager);
      NDArray b = tensors.read("b", manager);

      assertThat(tensors.names()).containsExactlyInAnyOrder("h", "b");
      assertThat(h.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(h.toFloatArray())
          .containsExactly(1f, -2f, 65504f, (float) Math.pow(2, -24), Float.POSITIVE_INFINITY);
      assertThat(b.getShape().getShape()).containsExactly(1, 3);
      assertThat(b.toFloatArray()).containsExactly(1f, -2.5f, 3.140625f);
      assertThat(h.getName()).isEqualTo("h");
    }
  }

  @Test
  void aFileThatIsNotSafetensorsIsRefused() throws IOException {
    Path file = directory.resolve("model.bin");
    Files.write(file, new byte[] {(byte) 0x80, 0x02, 0x7d, 0x71, 0, 0, 0, 0x7f, 1, 2});

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a safetensors file");
  }

  private Path write(String header, short[]... tensors) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    int values = 0;
    for (short[] tensor : tensors) {
      values += tensor.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + 2 * values);
    buffer.order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json);
    for (short[] tensor : tensors) {
      for (short value : tensor) {
        buffer.putShort(value);
      }
    }
    Path file = directory.resolve("half.safetensors");
    Files.write(file, buffer.array());
    return file;
  }
}
