package io.scalesweep.e2e;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kubectl's table output, by column name: what a user reads off {@code kubectl get}. */
record Table(List<String> columns, List<List<String>> rows) {

  static Table parse(String output) {
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new AssertionError("kubectl printed no table");
    }
    List<String> header = Arrays.asList(lines.get(0).trim().split("\\s+"));
    List<List<String>> rows = lines.subList(1, lines.size()).stream()
        .map(l -> Arrays.asList(l.trim().split("\\s+")))
        .toList();
    return new Table(header, rows);
  }

  /** The row whose first column is {@code name}, as column name to cell. */
  Map<String, String> row(String name) {
    List<String> cells = rows.stream().filter(r -> r.get(0).equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
    Map<String, String> row = new LinkedHashMap<>();
    for (int i = 0; i < columns.size() && i < cells.size(); i++) {
      row.put(columns.get(i), cells.get(i));
    }
    return row;
  }
}
