package io.lmserve.service.tokenize;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * HF's {@code BatchEncoding} as JSON: for {@code text}, each field is one row (a list); for {@code
 * texts}, or when overflowing windows are returned, a list of rows. Optional fields appear only
 * when asked for.
 *
 * @param offsetMapping {@code [start, end)} per token in the requested unit, {@code [0, 0]} for
 *     special tokens and padding (HF's convention)
 * @param wordIds the word each token comes from, {@code null} for special tokens and padding
 * @param overflowToSampleMapping for each row, the index of the input text it comes from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EncodeResponse(
    String model,
    @JsonProperty("input_ids") Object inputIds,
    @JsonProperty("token_type_ids") Object tokenTypeIds,
    @JsonProperty("attention_mask") Object attentionMask,
    @JsonProperty("special_tokens_mask") Object specialTokensMask,
    @JsonProperty("offset_mapping") Object offsetMapping,
    @JsonProperty("word_ids") Object wordIds,
    @JsonProperty("overflow_to_sample_mapping") int[] overflowToSampleMapping) {}
