package io.lmserve.service.tokenize;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;

/**
 * {@code POST /v1/encode}: model inputs shaped like HF's {@code tokenizer(...)} call. Exactly one
 * of {@code text} and {@code texts}; {@code text_pair} goes with {@code text}, {@code text_pairs}
 * with {@code texts}.
 *
 * @param padding {@code true}/"longest", "max_length", {@code false}; default false
 * @param truncation {@code true}/"longest_first", "only_first", "only_second", {@code false}; when
 *     absent, as in HF: longest_first if {@code max_length} is given without max_length padding
 * @param maxLength the length to truncate or pad to; the model's context length when truncating
 *     without it
 * @param stride tokens repeated between a window and the next when returning overflowing windows
 * @param returnOverflowing return the windows cut off by truncation as extra rows, with {@code
 *     overflow_to_sample_mapping}
 */
public record EncodeRequest(
    String model,
    String text,
    List<String> texts,
    @JsonProperty("text_pair") String textPair,
    @JsonProperty("text_pairs") List<String> textPairs,
    @JsonProperty("add_special_tokens") Boolean addSpecialTokens,
    @JsonProperty("special_tokens") SpecialTokens specialTokens,
    Padding padding,
    @JsonProperty("max_length") @Positive Integer maxLength,
    @JsonProperty("pad_to_multiple_of") @Positive Integer padToMultipleOf,
    Truncation truncation,
    @PositiveOrZero Integer stride,
    @JsonProperty("return_overflowing") @JsonAlias("return_overflowing_tokens")
        Boolean returnOverflowing,
    @JsonProperty("return_offsets") @JsonAlias("return_offsets_mapping") Boolean returnOffsets,
    @JsonProperty("return_word_ids") Boolean returnWordIds,
    @JsonProperty("return_special_tokens_mask") Boolean returnSpecialTokensMask,
    OffsetsUnit offsets) {}
