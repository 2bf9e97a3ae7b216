package io.lmserve.service.tokenize;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/decode}: ids back to text. Exactly one of {@code ids} and {@code ids_batch}.
 *
 * @param skipSpecialTokens leave out special tokens such as {@code [CLS]}; default false
 */
public record DecodeRequest(
    String model,
    int[] ids,
    @JsonProperty("ids_batch") int[][] idsBatch,
    @JsonProperty("skip_special_tokens") Boolean skipSpecialTokens) {}
