package io.lmserve.service.tokenize;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

/**
 * {@code POST /v1/tokenize}: one text to tokens, ids and offsets.
 *
 * @param model a served model's name; the default model when absent
 * @param addSpecialTokens add the model's special tokens ([CLS]/[SEP] for BERT); default true
 * @param specialTokens what to do with text that spells a special token; default parse
 * @param offsets the unit of the returned offsets; default codepoint
 */
public record TokenizeRequest(
    @Schema(example = "gpt2") String model,
    @NotNull @Schema(example = "Hello world") String text,
    @JsonProperty("add_special_tokens") Boolean addSpecialTokens,
    @JsonProperty("special_tokens") SpecialTokens specialTokens,
    OffsetsUnit offsets) {}
