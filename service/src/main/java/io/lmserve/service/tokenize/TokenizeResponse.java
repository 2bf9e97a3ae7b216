package io.lmserve.service.tokenize;

/**
 * The tokens of one text.
 *
 * @param offsets {@code [start, end)} of each token in the requested unit; {@code [-1, -1]} for a
 *     special token the tokenizer added, which covers no text
 */
public record TokenizeResponse(
    String model, int[] ids, String[] tokens, int[][] offsets, int count) {}
