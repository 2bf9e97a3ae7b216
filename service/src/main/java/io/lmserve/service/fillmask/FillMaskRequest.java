package io.lmserve.service.fillmask;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * {@code POST /v1/fill-mask}: HF's fill-mask pipeline over one text or several.
 *
 * @param model a masked-lm's name; {@code lmserve.default-fill-mask-model} when absent
 * @param text one input with at least one mask token; exactly one of text and texts
 * @param texts several inputs, each with at least one mask token
 * @param topK candidates per mask (5)
 * @param targets when given, only these are candidates (a word outside the vocabulary stands for
 *     its first token, as in HF)
 */
public record FillMaskRequest(
    @Schema(example = "bert-kjv") String model,
    @Schema(example = "And God said, Let there be [MASK].") String text,
    List<@NotNull String> texts,
    @JsonProperty("top_k") Integer topK,
    List<@NotNull String> targets) {}
