package io.lmserve.generation.fillmask;

/**
 * One candidate for one mask, shaped like an HF fill-mask pipeline result.
 *
 * @param score the candidate's probability at the mask (softmax over the whole vocabulary, also
 *     when targets restrict the candidates)
 * @param token the candidate's id
 * @param tokenStr the candidate decoded alone ({@code token_str})
 * @param sequence the input decoded with this candidate in place of the mask, padding left out;
 *     special tokens are left out when the input has a single mask, kept otherwise (HF's rule)
 */
public record MaskPrediction(float score, int token, String tokenStr, String sequence) {}
