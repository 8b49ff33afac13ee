package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * The downstream tasks that ship with scalesweep, generated from a seed so a new user can run the
 * whole pipeline on a CPU with no download: {@code boolexpr}, {@code arith} and {@code lookup},
 * each harder the deeper the reasoning it needs. Depths and answers are balanced exactly; no
 * validation input occurs in training, so a score measures more than memory. Randomness is {@link
 * Random}, whose algorithm Java specifies, so every JDK regenerates the files byte for byte.
 */
public final class SyntheticTasks {

  public static final long SEED = 0;
  public static final int TRAIN_EXAMPLES = 2000;
  public static final int VALIDATION_EXAMPLES = 200;

  private static final List<SyntheticTask> TASKS =
      List.of(new BoolExprTask(), new ArithTask(), new LookupTask());
  /** Far more than any task needs; reaching it means a task cannot produce distinct examples. */
  private static final int MAX_DRAWS_PER_EXAMPLE = 100_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The two splits of a task, one JSON record per line. */
  public record Splits(List<String> train, List<String> validation) {}

  private SyntheticTasks() {}

  /**
   * Writes the shipped tasks with the shipped sizes: {@code [folder [seed]]}; or one sized task,
   * gzipped: {@code chase folder seed train validation entries maxHops} or {@code formula folder
   * seed train validation maxDepth}.
   */
  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("chase") || args[0].equals("formula"))) {
      Path dir = Path.of(args[1]);
      long seed = Long.parseLong(args[2]);
      int train = Integer.parseInt(args[3]);
      int validation = Integer.parseInt(args[4]);
      Splits splits =
          args[0].equals("chase")
              ? pointerChase(
                  Integer.parseInt(args[5]), Integer.parseInt(args[6]), seed, train, validation)
              : formulas(Integer.parseInt(args[5]), seed, train, validation);
      writeGzipped(dir, splits);
      System.out.println("wrote " + args[0] + " under " + dir);
      return;
    }
    Path dir = Path.of(args.length > 0 ? args[0] : "examples/data/tasks");
    long seed = args.length > 1 ? Long.parseLong(args[1]) : SEED;
    write(dir, seed, TRAIN_EXAMPLES, VALIDATION_EXAMPLES);
    System.out.println("wrote " + names() + " under " + dir);
  }

  public static List<String> names() {
    return TASKS.stream().map(SyntheticTask::name).toList();
  }

  /** Writes {@code <dir>/<task>/train.jsonl} and {@code validation.jsonl} for every task. */
  public static void write(Path dir, long seed, int trainExamples, int validationExamples) {
    for (String name : names()) {
      Splits splits = generate(name, seed, trainExamples, validationExamples);
      try {
        Files.createDirectories(dir.resolve(name));
        Files.writeString(dir.resolve(name).resolve("train.jsonl"), jsonl(splits.train()));
        Files.writeString(
            dir.resolve(name).resolve("validation.jsonl"), jsonl(splits.validation()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write task " + name + " under " + dir, e);
      }
    }
  }

  /** One task's splits; the same arguments always give the same lines. */
  public static Splits generate(String name, long seed, int trainExamples, int validationExamples) {
    SyntheticTask task =
        TASKS.stream()
            .filter(t -> t.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no synthetic task " + name));
    return generate(task, seed, trainExamples, validationExamples);
  }

  /**
   * The compact pointer chase ({@code chase}: {@code table}, {@code query}, {@code answer}, {@code
   * hops}) with {@code entries} table entries and 1 to {@code maxHops} hops in equal numbers.
   */
  public static Splits pointerChase(
      int entries, int maxHops, long seed, int trainExamples, int validationExamples) {
    return generate(
        new PointerChaseTask(entries, maxHops), seed, trainExamples, validationExamples);
  }

  /**
   * Compact boolean formulas ({@code formula}: {@code formula}, {@code value} T or F, {@code
   * depth}) of depths 1 to {@code maxDepth} in equal numbers.
   */
  public static Splits formulas(
      int maxDepth, long seed, int trainExamples, int validationExamples) {
    return generate(new FormulaTask(maxDepth), seed, trainExamples, validationExamples);
  }

  /** {@code <dir>/train.jsonl.gz} and {@code validation.jsonl.gz}: large sizes stay small. */
  public static void writeGzipped(Path dir, Splits splits) {
    try {
      Files.createDirectories(dir);
      for (String split : List.of("train", "validation")) {
        List<String> lines = split.equals("train") ? splits.train() : splits.validation();
        try (OutputStream out =
            new GZIPOutputStream(Files.newOutputStream(dir.resolve(split + ".jsonl.gz")))) {
          out.write(jsonl(lines).getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a task under " + dir, e);
    }
  }

  private static Splits generate(
      SyntheticTask task, long seed, int trainExamples, int validationExamples) {
    Random random = new Random(seed * 1_000_003 + task.name().hashCode());
    // Validation first and without repeats; training then avoids every validation input.
    Set<String> held = new HashSet<>();
    List<String> validation = draw(task, validationExamples, random, held, true);
    List<String> train = draw(task, trainExamples, random, held, false);
    return new Splits(train, validation);
  }

  /**
   * @param heldOut whether these are validation lines: distinct, and added to {@code taken} so
   *     that training avoids them
   */
  private static List<String> draw(
      SyntheticTask task, int count, Random random, Set<String> taken, boolean heldOut) {
    List<String> lines = new ArrayList<>(count);
    for (int[] wanted : plan(task, count, random)) {
      int depth = task.depths().get(wanted[0]);
      String label = task.labels().get(wanted[1]);
      lines.add(drawOne(task, depth, label, random, taken, heldOut));
    }
    return lines;
  }

  /**
   * Depth and label indices for {@code count} examples: every (depth, label) pair equally often,
   * labels cycling fastest so they stay balanced even when pairs do not divide the count.
   */
  private static List<int[]> plan(SyntheticTask task, int count, Random random) {
    int labels = task.labels().size();
    int pairs = task.depths().size() * labels;
    List<int[]> plan = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      plan.add(new int[] {(i % pairs) / labels, i % labels});
    }
    Collections.shuffle(plan, random);
    return plan;
  }

  private static String drawOne(
      SyntheticTask task, int depth, String label, Random random, Set<String> taken,
      boolean heldOut) {
    for (int attempt = 0; attempt < MAX_DRAWS_PER_EXAMPLE; attempt++) {
      ObjectNode drawn = task.draw(depth, label, random);
      if (drawn == null) {
        continue;
      }
      String line = toJson(drawn);
      if (heldOut ? taken.add(line) : !taken.contains(line)) {
        return line;
      }
    }
    throw new IllegalStateException(
        "task " + task.name() + " cannot draw another distinct example of depth " + depth
            + " and answer " + label);
  }

  private static String toJson(ObjectNode record) {
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String jsonl(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }
}
