package io.lmserve.service.tokenize;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The tokenizer endpoints; each hands its request to {@link TokenizationService}. */
@RestController
@RequestMapping(path = "/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
    name = "tokenizer",
    description = "Tokenize, encode and decode with a served model's tokenizer")
class TokenizeController {

  private final TokenizationService service;
  private final Offloader offloader;

  TokenizeController(TokenizationService service, Offloader offloader) {
    this.service = service;
    this.offloader = offloader;
  }

  @PostMapping("/tokenize")
  @Operation(summary = "Tokens, ids and offsets of one text")
  Mono<TokenizeResponse> tokenize(@Valid @RequestBody TokenizeRequest request) {
    return offloader.run(request.text().length(), () -> service.tokenize(request));
  }

  @PostMapping("/encode")
  @Operation(summary = "Model inputs for one text or a batch, shaped like HF's BatchEncoding")
  Mono<EncodeResponse> encode(@Valid @RequestBody EncodeRequest request) {
    return offloader.run(TokenizationService.chars(request), () -> service.encode(request));
  }

  @PostMapping("/decode")
  @Operation(summary = "Text of one id sequence (ids) or of several (ids_batch)")
  Mono<DecodeResponse> decode(@Valid @RequestBody DecodeRequest request) {
    return offloader.run(TokenizationService.ids(request), () -> service.decode(request));
  }
}
