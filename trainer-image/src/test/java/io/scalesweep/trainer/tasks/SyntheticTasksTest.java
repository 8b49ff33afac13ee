package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticTasksTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theSameSeedWritesTheSameBytesAndAnotherSeedOtherOnes() throws IOException {
    SyntheticTasks.write(dir.resolve("a"), 1, 300, 40);
    SyntheticTasks.write(dir.resolve("b"), 1, 300, 40);
    SyntheticTasks.write(dir.resolve("c"), 2, 300, 40);
    for (String task : SyntheticTasks.names()) {
      for (String split : List.of("train.jsonl", "validation.jsonl")) {
        byte[] a = Files.readAllBytes(dir.resolve("a").resolve(task).resolve(split));
        assertThat(Files.readAllBytes(dir.resolve("b").resolve(task).resolve(split))).isEqualTo(a);
        assertThat(Files.readAllBytes(dir.resolve("c").resolve(task).resolve(split)))
            .isNotEqualTo(a);
      }
    }
  }

  @Test
  void answersAndDepthsAreExactlyBalanced() {
    Map<String, String> answerField =
        Map.of("boolexpr", "label", "arith", "answer", "lookup", "answer");
    Map<String, String> depthField =
        Map.of("boolexpr", "depth", "arith", "depth", "lookup", "hops");
    for (String task : SyntheticTasks.names()) {
      SyntheticTasks.Splits splits = SyntheticTasks.generate(task, 0, 800, 80);
      for (List<String> lines : List.of(splits.train(), splits.validation())) {
        List<JsonNode> records = lines.stream().map(SyntheticTasksTest::parse).toList();
        Map<String, Long> answers = count(records, r -> r.get(answerField.get(task)).asText());
        Map<String, Long> depths = count(records, r -> r.get(depthField.get(task)).asText());
        assertThat(answers).as("%s answers", task).hasSize(task.equals("boolexpr") ? 2 : 10);
        assertThat(new HashSet<>(answers.values())).as("%s answer counts", task).hasSize(1);
        assertThat(depths).as("%s depths", task).hasSize(4);
        assertThat(new HashSet<>(depths.values())).as("%s depth counts", task).hasSize(1);
      }
    }
  }

  @Test
  void noValidationInputIsRepeatedOrSeenInTraining() {
    for (String task : SyntheticTasks.names()) {
      SyntheticTasks.Splits splits = SyntheticTasks.generate(task, 0, 2000, 200);
      assertThat(splits.validation()).as(task).doesNotHaveDuplicates();
      assertThat(splits.train()).as(task).doesNotContainAnyElementsOf(splits.validation());
    }
  }

  @Test
  void everyBooleanAnswerIsTheExpressionsValueAtItsDepth() {
    for (String line : SyntheticTasks.generate("boolexpr", 0, 400, 40).train()) {
      JsonNode r = parse(line);
      Parsed p = new Parsed(r.get("expression").asText());
      Parsed.Value value = p.expression();
      assertThat(p.position).as(line).isEqualTo(p.text.length());
      assertThat(value.value() == 1).as(line).isEqualTo(r.get("label").asBoolean());
      assertThat(value.depth()).as(line).isEqualTo(r.get("depth").asInt());
    }
  }

  @Test
  void everyArithmeticAnswerIsTheExpressionsValueModuloTen() {
    for (String line : SyntheticTasks.generate("arith", 0, 400, 40).train()) {
      JsonNode r = parse(line);
      Parsed p = new Parsed(r.get("expression").asText());
      Parsed.Value value = p.expression();
      assertThat(p.position).as(line).isEqualTo(p.text.length());
      assertThat(value.value()).as(line).isEqualTo(r.get("answer").asInt());
      assertThat(value.depth()).as(line).isEqualTo(r.get("depth").asInt());
    }
  }

  @Test
  void everyLookupAnswerIsTheEndOfTheQueriedChain() {
    for (String line : SyntheticTasks.generate("lookup", 0, 400, 40).train()) {
      JsonNode r = parse(line);
      Map<String, String> table = new HashMap<>();
      for (String entry : r.get("table").asText().split("; ")) {
        String[] kv = entry.split("=");
        assertThat(table.put(kv[0], kv[1])).as("%s defines %s once", line, kv[0]).isNull();
      }
      assertThat(table).as(line).hasSize(10);
      String value = r.get("query").asText();
      int hops = 0;
      while (table.containsKey(value)) {
        value = table.get(value);
        hops++;
      }
      assertThat(value).as(line).isEqualTo(r.get("answer").asText());
      assertThat(hops).as(line).isEqualTo(r.get("hops").asInt());
    }
  }

  @Test
  void anUnknownTaskIsAnError() {
    assertThatThrownBy(() -> SyntheticTasks.generate("nope", 0, 1, 1))
        .hasMessageContaining("no synthetic task nope");
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Long> count(List<JsonNode> records, Function<JsonNode, String> key) {
    return records.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
  }

  /**
   * An independent reader of the generated expressions, so a wrong value in the generator
   * cannot hide behind the same code: operand (op operand)?, "not" operand, or a parenthesised
   * expression; values are booleans as 0/1 or digits modulo 10, depth counts nested operators.
   */
  private static final class Parsed {
    record Value(int value, int depth) {}

    final String text;
    int position;

    Parsed(String text) {
      this.text = text;
    }

    Value expression() {
      if (text.startsWith("not ", position)) {
        position += 4;
        Value operand = operand();
        return new Value(1 - operand.value(), operand.depth() + 1);
      }
      Value left = operand();
      if (position == text.length() || text.charAt(position) == ')') {
        return left;
      }
      String op = text.substring(position + 1, text.indexOf(' ', position + 1));
      position += op.length() + 2;
      Value right = operand();
      return new Value(
          apply(op, left.value(), right.value()), Math.max(left.depth(), right.depth()) + 1);
    }

    private Value operand() {
      if (text.charAt(position) == '(') {
        position++;
        Value inner = expression();
        assertThat(text.charAt(position)).isEqualTo(')');
        position++;
        return inner;
      }
      for (String literal : List.of("true", "false")) {
        if (text.startsWith(literal, position)) {
          position += literal.length();
          return new Value(literal.equals("true") ? 1 : 0, 0);
        }
      }
      return new Value(text.charAt(position++) - '0', 0);
    }

    private static int apply(String op, int a, int b) {
      return switch (op) {
        case "and" -> a & b;
        case "or" -> a | b;
        case "+" -> (a + b) % 10;
        case "-" -> Math.floorMod(a - b, 10);
        case "*" -> a * b % 10;
        default -> throw new AssertionError("unknown operator " + op);
      };
    }
  }
}
