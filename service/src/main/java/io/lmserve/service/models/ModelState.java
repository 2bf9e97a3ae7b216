package io.lmserve.service.models;

/** Where a configured model is in its life: shown by health and {@code GET /v1/models}. */
public enum ModelState {
  LOADING,
  READY,
  FAILED;

  @com.fasterxml.jackson.annotation.JsonValue
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
