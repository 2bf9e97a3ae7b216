package io.lmserve.service.fillmask;

import io.lmserve.service.tokenize.Offloader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /v1/fill-mask}; the forward passes run on the bounded workers, never on Netty's. */
@RestController
@Tag(name = "fill-mask", description = "Masked-token prediction with a masked language model")
class FillMaskController {

  private final FillMaskService service;
  private final Offloader offloader;

  FillMaskController(FillMaskService service, Offloader offloader) {
    this.service = service;
    this.offloader = offloader;
  }

  @PostMapping(path = "/v1/fill-mask", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary =
          "Candidates for each mask, shaped like HF's pipeline: {score, token, token_str,"
              + " sequence}")
  Mono<Object> fillMask(@Valid @RequestBody FillMaskRequest request) {
    FillMaskService.Inputs inputs = service.inputs(request);
    return offloader.offload(() -> service.fill(inputs));
  }
}
