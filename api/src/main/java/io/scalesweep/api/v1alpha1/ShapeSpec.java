package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Transformer shape fields. In a ScalingSweep every field is optional and overrides the base
 * size; in a TrainingJob the shape is fully resolved.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.kvHeads) || !has(self.numHeads) || self.numHeads % self.kvHeads == 0", message = "kvHeads must divide numHeads", fieldPath = ".kvHeads")
public class ShapeSpec {

  // Accessors of names like dFF carry @JsonProperty too: Jackson would otherwise derive a second
  // property (dff) from getDFF(), and the schema would accept both spellings.

  @JsonPropertyDescription("Transformer layers in the encoder stack.")
  @JsonProperty("encoderLayers")
  @Min(1)
  @Max(1024)
  private Integer encoderLayers;

  @JsonPropertyDescription("Transformer layers in the decoder stack.")
  @JsonProperty("decoderLayers")
  @Min(1)
  @Max(1024)
  private Integer decoderLayers;

  @JsonPropertyDescription("Width of the residual stream (d_model).")
  @JsonProperty("dModel")
  @Min(1)
  private Integer dModel;

  @JsonPropertyDescription("Inner width of each ReLU feed-forward block (d_ff).")
  @JsonProperty("dFF")
  @Min(1)
  private Integer dFF;

  @JsonPropertyDescription("Width of each attention head (d_kv).")
  @JsonProperty("dKV")
  @Min(1)
  private Integer dKV;

  @JsonPropertyDescription("Query heads per attention block.")
  @JsonProperty("numHeads")
  @Min(1)
  private Integer numHeads;

  @JsonPropertyDescription(
      "Key/value heads shared by the query heads (the SH operator). Must divide numHeads; "
          + "defaults to numHeads (plain multi-head attention); 1 is multi-query attention.")
  @JsonProperty("kvHeads")
  @Min(1)
  private Integer kvHeads;

  @JsonPropertyDescription("Keys and values share one projection (the SKV operator). Default false.")
  @JsonProperty("tiedKV")
  private Boolean tiedKV;

  @JsonPropertyDescription(
      "Rows of the shared embedding table. Defaults to the tokenizer's size (384 for the "
          + "byte tokenizer) or T5's 32128.")
  @JsonProperty("vocabSize")
  @Min(2)
  private Integer vocabSize;

  public Integer getEncoderLayers() {
    return encoderLayers;
  }

  public void setEncoderLayers(Integer encoderLayers) {
    this.encoderLayers = encoderLayers;
  }

  public Integer getDecoderLayers() {
    return decoderLayers;
  }

  public void setDecoderLayers(Integer decoderLayers) {
    this.decoderLayers = decoderLayers;
  }

  @JsonProperty("dModel")
  public Integer getDModel() {
    return dModel;
  }

  @JsonProperty("dModel")
  public void setDModel(Integer dModel) {
    this.dModel = dModel;
  }

  @JsonProperty("dFF")
  public Integer getDFF() {
    return dFF;
  }

  @JsonProperty("dFF")
  public void setDFF(Integer dFF) {
    this.dFF = dFF;
  }

  @JsonProperty("dKV")
  public Integer getDKV() {
    return dKV;
  }

  @JsonProperty("dKV")
  public void setDKV(Integer dKV) {
    this.dKV = dKV;
  }

  public Integer getNumHeads() {
    return numHeads;
  }

  public void setNumHeads(Integer numHeads) {
    this.numHeads = numHeads;
  }

  public Integer getKvHeads() {
    return kvHeads;
  }

  public void setKvHeads(Integer kvHeads) {
    this.kvHeads = kvHeads;
  }

  public Boolean getTiedKV() {
    return tiedKV;
  }

  public void setTiedKV(Boolean tiedKV) {
    this.tiedKV = tiedKV;
  }

  public Integer getVocabSize() {
    return vocabSize;
  }

  public void setVocabSize(Integer vocabSize) {
    this.vocabSize = vocabSize;
  }

}
