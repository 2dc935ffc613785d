package dev.k8swasm.wasi.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free pool of idle instances: a fixed array of slots, each taken and filled with
 * one compare-and-set. Every thread starts its search at a slot of its own, so threads rarely touch
 * the same slot. Nothing is allocated per operation.
 */
final class InstancePool<T> {
  private final AtomicReferenceArray<T> slots;
  private final int size;

  InstancePool(int size) {
    this.size = Math.max(1, size);
    this.slots = new AtomicReferenceArray<>(this.size);
  }

  /** The default number of slots: system property {@code k8swasm.pool.size}, else 4 per CPU. */
  static int defaultSize() {
    Integer configured = Integer.getInteger("k8swasm.pool.size");
    if (configured != null && configured > 0) {
      return configured;
    }
    return Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
  }

  private int start() {
    long id = Thread.currentThread().getId();
    return (int) ((id * 0x9E3779B97F4A7C15L) >>> 33) % size;
  }

  /** An idle instance, or null when there is none. */
  T poll() {
    int start = start();
    for (int k = 0; k < size; k++) {
      int i = start + k;
      if (i >= size) {
        i -= size;
      }
      T value = slots.get(i);
      if (value != null && slots.compareAndSet(i, value, null)) {
        return value;
      }
    }
    return null;
  }

  /** Keeps {@code value} for reuse; false when every slot is taken. */
  boolean offer(T value) {
    int start = start();
    for (int k = 0; k < size; k++) {
      int i = start + k;
      if (i >= size) {
        i -= size;
      }
      if (slots.get(i) == null && slots.compareAndSet(i, null, value)) {
        return true;
      }
    }
    return false;
  }

  /** Empties the pool, returning what it held. */
  List<T> drain() {
    List<T> drained = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      T value = slots.getAndSet(i, null);
      if (value != null) {
        drained.add(value);
      }
    }
    return drained;
  }
}
