package io.scalesweep.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class ManagedFieldsFreeStoreTest {

  @Test
  void keepsEverythingButManagedFieldsUnderTheInformersKey() {
    Pod pod = new PodBuilder()
        .withNewMetadata().withName("trial-0-abcde").withNamespace("research").withResourceVersion("42")
        .addToLabels("app", "trainer")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubelet").withOperation("Update").build())
        .endMetadata()
        .withNewStatus().withPhase("Running").endStatus()
        .build();
    ManagedFieldsFreeStore<Pod> store = new ManagedFieldsFreeStore<>();

    String key = store.getKey(pod);
    store.put(key, pod);

    assertThat(key).isEqualTo("research/trial-0-abcde");
    Pod kept = store.get(key);
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getMetadata().getLabels()).containsEntry("app", "trainer");
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(kept.getStatus().getPhase()).isEqualTo("Running");
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.keySet()).containsExactly(key);
    assertThat(store.remove(key)).isSameAs(kept);
    assertThat(store.size()).isZero();
  }
}
