package io.lmserve.service.fillmask;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.lmserve.generation.fillmask.MaskPrediction;

/**
 * One candidate for one mask, as HF's fill-mask pipeline prints it.
 *
 * @param score its probability at the mask (softmax over the whole vocabulary)
 * @param token its id
 * @param tokenStr the token decoded alone
 * @param sequence the input with the candidate in place
 */
public record Candidate(
    float score, int token, @JsonProperty("token_str") String tokenStr, String sequence) {

  static Candidate of(MaskPrediction prediction) {
    return new Candidate(
        prediction.score(), prediction.token(), prediction.tokenStr(), prediction.sequence());
  }
}
