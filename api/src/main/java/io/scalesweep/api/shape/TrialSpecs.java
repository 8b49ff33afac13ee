package io.scalesweep.api.shape;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.resources.TrialResources;
import io.scalesweep.api.v1alpha1.ScalingSweepSpec;
import io.scalesweep.api.v1alpha1.ShapeSpec;
import io.scalesweep.api.v1alpha1.TrainingJobSpec;

/**
 * Turns one expanded trial of a sweep into the spec of its TrainingJob, and converts shapes
 * between the CRD form and the algebra's record. The operator and {@code scalesweep run} both build
 * trials here, so a sweep trains the same models in a cluster and on a laptop.
 */
public final class TrialSpecs {

  private static final ObjectMapper COPY = new ObjectMapper();

  private TrialSpecs() {}

  /**
   * The TrainingJob spec of {@code trial}: its shape and code, copies of the sweep's recipe, and
   * the resources its {@code byShape} rule (or the sweep's default) gives it.
   */
  public static TrainingJobSpec of(String sweepName, ScalingSweepSpec sweep, Trial trial) {
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.setSweep(sweepName);
    spec.setCode(trial.code());
    spec.setShape(toSpec(trial.shape()));
    spec.setPretrain(copy(sweep.getPretrain()));
    spec.setFinetune(copy(sweep.getFinetune()));
    spec.setResources(TrialResources.of(sweep.getResources(), sweep.getPretrain(), trial.shape()));
    spec.setStorage(copy(sweep.getStorage()));
    spec.setImage(sweep.getImage());
    spec.setStartDeadlineSeconds(sweep.getStartDeadlineSeconds());
    if (sweep.getFailurePolicy() != null) {
      spec.setMaxRetries(sweep.getFailurePolicy().getMaxRetries());
    }
    return spec;
  }

  public static ShapeSpec toSpec(Shape shape) {
    ShapeSpec s = new ShapeSpec();
    s.setEncoderLayers(shape.encoderLayers());
    s.setDecoderLayers(shape.decoderLayers());
    s.setDModel(shape.dModel());
    s.setDFF(shape.dFF());
    s.setDKV(shape.dKV());
    s.setNumHeads(shape.numHeads());
    s.setKvHeads(shape.kvHeads());
    s.setTiedKV(shape.tiedKV());
    s.setVocabSize(shape.vocabSize());
    return s;
  }

  /**
   * The shape a TrainingJob trains. kvHeads defaults to numHeads and tiedKV to false, as in the
   * schema; every other field is required.
   *
   * @param path where the shape sits in the manifest, for error messages ({@code spec.shape})
   * @throws ShapeException naming the missing or invalid field
   */
  public static Shape toShape(ShapeSpec s, String path) {
    if (s == null) {
      throw new ShapeException(path, path + " is required");
    }
    int encoderLayers = required(s.getEncoderLayers(), path + ".encoderLayers");
    int decoderLayers = required(s.getDecoderLayers(), path + ".decoderLayers");
    int dModel = required(s.getDModel(), path + ".dModel");
    int dFF = required(s.getDFF(), path + ".dFF");
    int dKV = required(s.getDKV(), path + ".dKV");
    int numHeads = required(s.getNumHeads(), path + ".numHeads");
    int vocabSize = required(s.getVocabSize(), path + ".vocabSize");
    int kvHeads = s.getKvHeads() == null ? numHeads : s.getKvHeads();
    try {
      return new Shape(encoderLayers, decoderLayers, dModel, dFF, dKV, numHeads, kvHeads, Boolean.TRUE.equals(s.getTiedKV()), vocabSize);
    } catch (ShapeException e) {
      throw new ShapeException(path + "." + e.field(), path + ": " + e.getMessage());
    }
  }

  private static int required(Integer value, String field) {
    if (value == null) {
      throw new ShapeException(field, field + " is required");
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static <T> T copy(T value) {
    return value == null ? null : (T) COPY.convertValue(value, value.getClass());
  }
}
