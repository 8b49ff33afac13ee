package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules that make a checkpoint count, on plain bytes (no model needed). */
class CheckpointStoreTest {

  @TempDir Path dir;

  @Test
  void theManifestIsWrittenLastAndListsSizesAndHashes() throws IOException {
    RecordingOutput output = new RecordingOutput(new LocalTrialOutput(dir));
    CheckpointStore store = new CheckpointStore(output);

    store.save(7, files("a", "bytes of a", "b", "b"));

    assertThat(output.puts)
        .containsExactly(
            "checkpoints/step-7/a", "checkpoints/step-7/b", "checkpoints/step-7/manifest.json");
    String manifest = Files.readString(dir.resolve("checkpoints/step-7/manifest.json"));
    // sha256("b") = 3e23e816...
    assertThat(manifest)
        .contains(
            "\"size\" : 10",
            "\"size\" : 1",
            "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d");
    assertThat(store.verify(7)).isEmpty();
  }

  @Test
  void savingAStepAgainRemovesItsOldManifestBeforeWritingFiles() throws IOException {
    CheckpointStore first = new CheckpointStore(new LocalTrialOutput(dir));
    first.save(5, files("a", "old"));
    RecordingOutput output = new RecordingOutput(new LocalTrialOutput(dir));
    output.failOn = "checkpoints/step-5/a";

    assertThatThrownBy(() -> new CheckpointStore(output).save(5, files("a", "new")))
        .isInstanceOf(IOException.class);

    assertThat(first.verify(5))
        .hasValueSatisfying(problem -> assertThat(problem).contains("no manifest.json"));
    assertThat(first.latestComplete()).isEmpty();
  }

  @Test
  void theNewestCompleteCheckpointWinsAndOtherFoldersAreIgnored() throws IOException {
    CheckpointStore store = new CheckpointStore(new LocalTrialOutput(dir));
    store.save(10, files("a", "1"));
    store.save(20, files("a", "2"));
    store.save(30, files("a", "3"));
    Files.delete(dir.resolve("checkpoints/step-30/manifest.json"));
    Files.createDirectories(dir.resolve("checkpoints/step-final"));
    Files.writeString(dir.resolve("checkpoints/step-final/x"), "x");

    assertThat(store.steps()).containsExactly(10L, 20L, 30L);
    CheckpointStore.Checkpoint latest = store.latestComplete().orElseThrow();
    assertThat(latest.step()).isEqualTo(20);
    assertThat(new String(latest.read("a"), StandardCharsets.UTF_8)).isEqualTo("2");
  }

  @Test
  void aManifestOfAnotherStepDoesNotVouchForThisFolder() throws IOException {
    CheckpointStore store = new CheckpointStore(new LocalTrialOutput(dir));
    store.save(10, files("a", "1"));
    Files.createDirectories(dir.resolve("checkpoints/step-20"));
    Files.copy(dir.resolve("checkpoints/step-10/a"), dir.resolve("checkpoints/step-20/a"));
    Files.copy(
        dir.resolve("checkpoints/step-10/manifest.json"),
        dir.resolve("checkpoints/step-20/manifest.json"));

    assertThat(store.verify(20))
        .hasValueSatisfying(p -> assertThat(p).contains("manifest says step 10"));
    assertThat(store.latestComplete()).map(CheckpointStore.Checkpoint::step).contains(10L);
  }

  @Test
  void deleteRemovesTheWholeFolder() throws IOException {
    CheckpointStore store = new CheckpointStore(new LocalTrialOutput(dir));
    store.save(10, files("a", "1"));
    store.save(20, files("a", "2"));

    store.delete(10);

    assertThat(store.steps()).containsExactly(20L);
    assertThat(dir.resolve("checkpoints/step-10")).doesNotExist();
  }

  @Test
  void aWriteThatFailsHalfwayLeavesNothingUnderTheRealName() throws IOException {
    LocalTrialOutput output = new LocalTrialOutput(dir);
    assertThatThrownBy(
            () ->
                output.put(
                    "x/y.bin",
                    out -> {
                      out.write(new byte[100]);
                      throw new IOException("killed");
                    }))
        .hasMessage("killed");
    assertThat(output.exists("x/y.bin")).isFalse();
    assertThat(output.list("")).isEmpty();
  }

  private static Map<String, TrialOutput.Content> files(String... nameAndText) {
    Map<String, TrialOutput.Content> files = new LinkedHashMap<>();
    for (int i = 0; i < nameAndText.length; i += 2) {
      byte[] bytes = nameAndText[i + 1].getBytes(StandardCharsets.UTF_8);
      files.put(nameAndText[i], out -> out.write(bytes));
    }
    return files;
  }

  /** Records the order of writes, and fails one on request (a full disk, a kill). */
  private static final class RecordingOutput implements TrialOutput {
    final TrialOutput inner;
    final List<String> puts = new ArrayList<>();
    String failOn;

    RecordingOutput(TrialOutput inner) {
      this.inner = inner;
    }

    @Override
    public void put(String name, Content content) throws IOException {
      if (name.equals(failOn)) {
        throw new IOException("disk full");
      }
      puts.add(name);
      inner.put(name, content);
    }

    @Override
    public void append(String name, byte[] bytes) throws IOException {
      inner.append(name, bytes);
    }

    @Override
    public InputStream get(String name) throws IOException {
      return inner.get(name);
    }

    @Override
    public boolean exists(String name) throws IOException {
      return inner.exists(name);
    }

    @Override
    public long size(String name) throws IOException {
      return inner.size(name);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
      return inner.list(prefix);
    }

    @Override
    public void deleteAll(String prefix) throws IOException {
      inner.deleteAll(prefix);
    }

    @Override
    public String locate(String name) {
      return inner.locate(name);
    }
  }
}
