package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The files written by src/test/python/make_t5_parity_fixture.py. */
final class ParityFixture {

  private ParityFixture() {}

  static Path directory() {
    try {
      return Path.of(ParityFixture.class.getResource("/parity/config.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path weights() {
    return directory().resolve("model.safetensors");
  }

  static Path config() {
    return directory().resolve("config.json");
  }

  /** One tensor of batch.safetensors (inputs, expected outputs, bucket tables). */
  static NDArray batch(String name, NDManager manager) throws IOException {
    try (SafetensorsFile file = SafetensorsFile.open(directory().resolve("batch.safetensors"))) {
      return file.read(name, manager);
    }
  }
}
