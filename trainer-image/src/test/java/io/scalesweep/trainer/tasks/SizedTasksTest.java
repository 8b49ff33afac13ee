package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The sized tasks (compact pointer chase, symbolic boolean formulas): the same seed gives the same
 * bytes on every JDK, answers are right, hops or depths and answers exactly balanced.
 */
class SizedTasksTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSeedGivesTheseRecordsByteForByte() {
    assertThat(SyntheticTasks.pointerChase(12, 6, 0, 12, 6).validation().subList(0, 3))
        .containsExactly(
            "{\"table\":\"u=l;l=e;d=4;r=3;g=o;j=5;z=9;e=4;q=2;s=u;o=m;m=7\",\"query\":\"r\","
                + "\"answer\":\"3\",\"hops\":1}",
            "{\"table\":\"o=2;c=2;e=1;n=l;l=q;k=2;t=e;y=n;u=1;q=t;z=4;j=1\",\"query\":\"o\","
                + "\"answer\":\"2\",\"hops\":1}",
            "{\"table\":\"j=4;q=2;c=j;z=x;x=3;t=q;n=u;r=0;k=n;f=0;u=z;v=k\",\"query\":\"f\","
                + "\"answer\":\"0\",\"hops\":1}");
    assertThat(SyntheticTasks.formulas(6, 0, 12, 6).validation().subList(0, 3))
        .containsExactly(
            "{\"formula\":\"(F|F|!F)|((!T&!T)|(!T&F&T))\",\"value\":\"T\",\"depth\":3}",
            "{\"formula\":\"(F&!T&F&!T)&(!F&!F&T&F)\",\"value\":\"F\",\"depth\":2}",
            "{\"formula\":\"!T|!F|T|F\",\"value\":\"T\",\"depth\":1}");
    assertThat(SyntheticTasks.pointerChase(12, 6, 7, 600, 120))
        .as("regenerated, the same")
        .isEqualTo(SyntheticTasks.pointerChase(12, 6, 7, 600, 120));
    assertThat(SyntheticTasks.pointerChase(12, 6, 8, 600, 120).train())
        .isNotEqualTo(SyntheticTasks.pointerChase(12, 6, 7, 600, 120).train());
  }

  @Test
  void everyChaseAnswerIsTheEndOfTheQueriedChainAndHopsAndAnswersAreBalanced() {
    SyntheticTasks.Splits splits = SyntheticTasks.pointerChase(12, 6, 0, 1200, 240);
    for (List<String> lines : List.of(splits.train(), splits.validation())) {
      for (String line : lines) {
        JsonNode r = parse(line);
        Map<String, String> table = new HashMap<>();
        for (String entry : r.get("table").asText().split(";")) {
          String[] kv = entry.split("=");
          assertThat(table.put(kv[0], kv[1])).as("%s defines %s once", line, kv[0]).isNull();
        }
        assertThat(table).as(line).hasSize(12);
        String value = r.get("query").asText();
        int hops = 0;
        while (table.containsKey(value)) {
          value = table.get(value);
          hops++;
        }
        assertThat(value).as(line).isEqualTo(r.get("answer").asText());
        assertThat(hops).as(line).isEqualTo(r.get("hops").asInt());
        assertThat(r.get("table").asText().length() + 2).as("compact input").isLessThan(56);
      }
      assertBalanced(lines, "hops", 6, "answer", 10);
    }
    assertThat(new HashSet<>(splits.validation())).hasSameSizeAs(splits.validation());
    assertThat(splits.train()).doesNotContainAnyElementsOf(splits.validation());
  }

  @Test
  void everyFormulaValueAndDepthIsWhatItsTextSays() {
    SyntheticTasks.Splits splits = SyntheticTasks.formulas(6, 0, 1200, 240);
    for (List<String> lines : List.of(splits.train(), splits.validation())) {
      for (String line : lines) {
        JsonNode r = parse(line);
        Parsed p = new Parsed(r.get("formula").asText());
        Parsed.Value value = p.expression();
        assertThat(p.position).as(line).isEqualTo(p.text.length());
        assertThat(value.value() ? "T" : "F").as(line).isEqualTo(r.get("value").asText());
        assertThat(value.depth()).as(line).isEqualTo(r.get("depth").asInt());
        assertThat(p.text).as(line).matches("[TF&|!()]+").hasSizeLessThan(64);
      }
      assertBalanced(lines, "depth", 6, "value", 2);
    }
    assertThat(new HashSet<>(splits.validation())).hasSameSizeAs(splits.validation());
    assertThat(splits.train()).doesNotContainAnyElementsOf(splits.validation());
  }

  @Test
  void impossibleSizesAreRefusedNamingWhatIsAllowed() {
    assertThatThrownBy(() -> SyntheticTasks.pointerChase(4, 6, 0, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 <= hops <= entries <= 26");
    assertThatThrownBy(() -> SyntheticTasks.formulas(0, 0, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }

  private static void assertBalanced(
      List<String> lines, String levelField, int levels, String answerField, int answers) {
    List<JsonNode> records = lines.stream().map(SizedTasksTest::parse).toList();
    Map<String, Long> byLevel = count(records, r -> r.get(levelField).asText());
    Map<String, Long> byAnswer = count(records, r -> r.get(answerField).asText());
    assertThat(byLevel).hasSize(levels);
    assertThat(new HashSet<>(byLevel.values())).as("%s counts", levelField).hasSize(1);
    assertThat(byAnswer).hasSize(answers);
    assertThat(new HashSet<>(byAnswer.values())).as("%s counts", answerField).hasSize(1);
  }

  private static Map<String, Long> count(List<JsonNode> records, Function<JsonNode, String> key) {
    return records.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A reader of the formulas written independently of the generator: value and group depth. */
  private static final class Parsed {
    record Value(boolean value, int depth) {}

    final String text;
    int position;

    Parsed(String text) {
      this.text = text;
    }

    /** term (op term)*, one operator kind per group; depth 1 + the deepest group operand. */
    Value expression() {
      Value first = term();
      if (position == text.length() || text.charAt(position) == ')') {
        return first;
      }
      char op = text.charAt(position);
      boolean value = first.value();
      int deepest = first.depth();
      while (position < text.length() && text.charAt(position) == op) {
        position++;
        Value next = term();
        value = op == '&' ? value && next.value() : value || next.value();
        deepest = Math.max(deepest, next.depth());
      }
      return new Value(value, deepest + 1);
    }

    private Value term() {
      char c = text.charAt(position++);
      if (c == '!') {
        Value inner = term();
        return new Value(!inner.value(), inner.depth());
      }
      if (c == '(') {
        Value inner = expression();
        assertThat(text.charAt(position++)).isEqualTo(')');
        return inner;
      }
      assertThat(c).isIn('T', 'F');
      return new Value(c == 'T', 0);
    }
  }
}
