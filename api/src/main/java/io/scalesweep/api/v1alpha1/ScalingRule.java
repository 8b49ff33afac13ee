package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.scalesweep.api.shape.ScalingOp;
import java.util.List;

/** One scaling operator and the values to sweep it over. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.op == 'SKV' || (has(self.values) && size(self.values) > 0)", message = "values must list at least one value for this operator", fieldPath = ".values")
@ValidationRule(value = "self.op != 'SKV' || !has(self.values) || size(self.values) == 0", message = "values must be empty for SKV, which is a switch", fieldPath = ".values")
@ValidationRule(value = "!has(self.values) || self.values.all(v, v >= 1)", message = "values must all be at least 1", fieldPath = ".values")
public class ScalingRule {

  @JsonPropertyDescription(
      "Scaling operator (paper Table 2): NL both stacks' layers, EL encoder layers, DL "
          + "decoder layers, DM d_model, KV d_kv, NH heads, FF d_ff, SH shared key/value heads, "
          + "SKV tied key-values (takes no values).")
  @JsonProperty("op")
  @Required
  private ScalingOp op;

  @JsonPropertyDescription(
      "Values to apply, each alone (or crossed with the other rules when grid is true). At "
          + "least one positive value; omit for SKV.")
  @JsonProperty("values")
  @Size(max = 64)
  private List<Integer> values;

  public ScalingOp getOp() {
    return op;
  }

  public void setOp(ScalingOp op) {
    this.op = op;
  }

  public List<Integer> getValues() {
    return values;
  }

  public void setValues(List<Integer> values) {
    this.values = values;
  }

}
