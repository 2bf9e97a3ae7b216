package io.lmserve.generation.sampling;

/** A token id with its log-probability under the model's own (unprocessed) distribution. */
public record TokenLogprob(int id, float logprob) {}
