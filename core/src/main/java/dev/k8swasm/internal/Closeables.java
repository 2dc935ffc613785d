package dev.k8swasm.internal;

import java.util.List;
import org.slf4j.LoggerFactory;

/** Closes what a chain owns. Not part of the supported API. */
public final class Closeables {
  private Closeables() {}

  /** Closes every item that is {@link AutoCloseable}, logging (not throwing) failures. */
  public static void closeAll(List<?> items) {
    for (Object item : items) {
      if (item instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LoggerFactory.getLogger(Closeables.class)
              .warn("closing {} failed: {}", item, e.toString());
        }
      }
    }
  }
}
