package io.lmserve.service.tokenize;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code text} for {@code ids}, {@code texts} for {@code ids_batch}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecodeResponse(String model, String text, List<String> texts) {}
