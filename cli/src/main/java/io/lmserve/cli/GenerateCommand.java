package io.lmserve.cli;

import io.lmserve.cli.Main.UsageException;
import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.GenerationLimits;
import io.lmserve.generation.GenerationParams;
import io.lmserve.generation.GenerationRequest;
import io.lmserve.generation.GenerationResult;
import io.lmserve.generation.Generator;
import io.lmserve.generation.InvalidRequestException;
import io.lmserve.generation.TextPrompts;
import io.lmserve.generation.TokenEvent;
import io.lmserve.generation.model.CausalLmModel;
import io.lmserve.generation.sampling.Sampler;
import io.lmserve.generation.sampling.SamplingParams;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.ModelConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** {@code lmserve generate}: continues a text or token ids with a causal LM folder. */
final class GenerateCommand extends OptionsCommand {

  static final String USAGE =
      """
      Usage: lmserve generate --model DIR (--prompt TEXT | TEXT | --prompt-ids 5,17,42) [options]

      Continues the prompt with the causal language model in DIR (an HF folder: config.json +
      model.safetensors, and for text prompts its tokenizer: tokenizer.json, vocab.json + merges.txt).
      Greedy (argmax at every step) unless a sampling option is given. Prints one JSON line
      {"text":...,"ids":[...new ids...],"finish_reason":...,"usage":{...}} ("text" only for text prompts),
      or with --stream the text as it is generated, then the finish reason on stderr.

        --model DIR               HF model folder (model_type gpt2)
        --quantize int8           hold the weights as int8 (blocks of 32 with a scale; ~4x fewer bytes
                                  per token than F32, logits within ~1 % of the float model's range)
        --prompt TEXT, TEXT       the prompt text, tokenized with the folder's tokenizer
        --prompt-ids LIST         comma-separated prompt token ids instead of text
        --max-new-tokens N        tokens to generate (default 20); prompt + N must fit the context
        --temperature T           sampling temperature (default 1 when sampling; 0 is greedy)
        --top-k K                 sample from the K most likely tokens
        --top-p P                 sample from the smallest set of tokens with probability mass P
        --min-p P                 drop tokens less likely than P times the most likely one
        --repetition-penalty R    HF's repetition penalty (1 disables)
        --seed N                  makes sampling reproducible
        --stop TEXT               stop before this text (never printed); text prompts only
        --stream                  print the text token by token as it comes
        --ignore-eos              keep going after the config's eos_token_id (default: stop at it)
        --no-cache                greedy ids only: recompute the whole prefix at every step instead of
                                  using the KV cache (slower; for checking the cache)
      """;

  private static final List<String> SAMPLING =
      List.of("--temperature", "--top-k", "--top-p", "--min-p", "--seed");

  private static final Options.Spec SPEC =
      new Options.Spec()
          .value("--model")
          .value("--quantize")
          .positional("--prompt")
          .value("--prompt-ids")
          .value("--max-new-tokens")
          .value("--temperature")
          .value("--top-k")
          .value("--top-p")
          .value("--min-p")
          .value("--repetition-penalty")
          .value("--seed")
          .value("--stop")
          .flag("--stream")
          .flag("--no-cache")
          .flag("--ignore-eos");

  @Override
  public String summary() {
    return "continue a text or token ids with a GPT-2 model folder (sampling, streaming)";
  }

  GenerateCommand() {
    super(USAGE, SPEC);
  }

  @Override
  int run(Options options) throws Exception {
    String folder = options.required("--model");
    boolean text = options.value("--prompt").isPresent();
    if (text == options.value("--prompt-ids").isPresent()) {
      throw new UsageException("give either a prompt text (--prompt TEXT) or --prompt-ids");
    }
    int maxNew = options.integer("--max-new-tokens", 1, 1 << 20).orElse(20);
    GenerationParams params;
    try {
      params =
          GenerationParams.DEFAULT
              .withMaxNewTokens(maxNew)
              .withSampling(sampling(options))
              .withStop(options.value("--stop").map(List::of).orElse(List.of()))
              .withStopAtEos(!options.flag("--ignore-eos"));
    } catch (InvalidRequestException e) {
      throw new UsageException("--" + e.field().replace('_', '-') + ": " + e.getMessage());
    }
    if (options.flag("--no-cache") && (text || !params.sampling().greedy())) {
      throw new UsageException("--no-cache is for greedy generation from --prompt-ids only");
    }
    try (CausalLm model =
        ModelFolders.open(folder, CausalLm.class, "generate", ModelFolders.quantization(options))) {
      ModelConfig config = model.config();
      if (options.flag("--no-cache")) {
        int[] prompt = promptIds(options, config);
        int eos = options.flag("--ignore-eos") ? -1 : config.eosTokenId().orElse(-1);
        printJson(Map.of("ids", generateWithoutCache(model, prompt, maxNew, eos)));
        return 0;
      }
      GenerationRequest request;
      try {
        if (text) {
          Tokenizer tokenizer = ModelFolders.tokenizer(folder);
          request =
              new TextPrompts(tokenizer, GenerationLimits.DEFAULT, config.bosTokenId())
                  .request(options.required("--prompt"), params, null);
        } else {
          request = GenerationRequest.ofIds(promptIds(options, config), params);
        }
      } catch (InvalidRequestException e) {
        throw new UsageException(e.getMessage());
      }
      generate(new CausalLmModel(model), request, text, options.flag("--stream"));
    }
    return 0;
  }

  /** Greedy unless a sampling option is given; then temperature defaults to 1. */
  private static SamplingParams sampling(Options options) throws UsageException {
    boolean sampling = SAMPLING.stream().anyMatch(o -> options.value(o).isPresent());
    SamplingParams params = sampling ? SamplingParams.DEFAULT : SamplingParams.GREEDY;
    params =
        params.withTemperature(
            options.decimal("--temperature", 0, 100).orElse(params.temperature()));
    params = params.withTopK(options.integer("--top-k", 0, Integer.MAX_VALUE).orElse(0));
    params = params.withTopP(options.decimal("--top-p", 0, 1).orElse(1.0));
    params = params.withMinP(options.decimal("--min-p", 0, 1).orElse(0.0));
    params =
        params.withRepetitionPenalty(options.decimal("--repetition-penalty", 0, 10).orElse(1.0));
    return params.withSeed(options.longValue("--seed").orElse(null));
  }

  private static int[] promptIds(Options options, ModelConfig config) throws UsageException {
    int[] prompt = options.intList("--prompt-ids", 0, Integer.MAX_VALUE, 1 << 20);
    for (int id : prompt) {
      if (id >= config.vocabSize()) {
        throw new UsageException(
            "--prompt-ids: " + id + " out of range [0, " + config.vocabSize() + ")");
      }
    }
    return prompt;
  }

  private static void generate(
      CausalLmModel model, GenerationRequest request, boolean text, boolean stream)
      throws UsageException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    GenerationResult.Collector collector = new GenerationResult.Collector();
    try {
      Generator.run(
          model,
          request,
          (GenerationEvent event) -> {
            if (stream && event instanceof TokenEvent token) {
              out.print(text ? token.text() : token.tokenId() + " ");
              out.flush();
            }
            collector.accept(event);
          });
    } catch (InvalidRequestException e) {
      throw new UsageException(e.getMessage());
    }
    GenerationResult result = collector.result().join();
    GenerationEvent.Finished finished = result.finished();
    if (stream) {
      out.println();
      System.err.println("[finish_reason: " + finished.reason().wireName() + "]");
    } else {
      Map<String, Object> json = new LinkedHashMap<>();
      if (text) {
        json.put("text", result.text());
      }
      json.put("ids", result.tokenIds());
      json.put("finish_reason", finished.reason().wireName());
      Map<String, Object> usage = new LinkedHashMap<>();
      usage.put("prompt_tokens", finished.usage().promptTokens());
      usage.put("completion_tokens", finished.usage().completionTokens());
      json.put("usage", usage);
      printJson(json);
    }
    if (finished.reason() == io.lmserve.generation.FinishReason.ERROR) {
      throw new IllegalStateException(finished.message());
    }
  }

  private static void printJson(Map<String, Object> json) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println(JsonMapper.shared().writeValueAsString(json));
  }

  private static int[] generateWithoutCache(CausalLm model, int[] prompt, int maxNew, int eos)
      throws UsageException {
    if (prompt.length + maxNew > model.config().maxPositions()) {
      throw new UsageException(
          prompt.length
              + " prompt ids + "
              + maxNew
              + " new tokens exceed the model's context of "
              + model.config().maxPositions());
    }
    int[] ids = prompt;
    for (int step = 0; step < maxNew; step++) {
      float[][] logits = model.forward(new int[][] {ids}, null)[0];
      int next = Sampler.argmax(logits[ids.length - 1]);
      ids = Arrays.copyOf(ids, ids.length + 1);
      ids[ids.length - 1] = next;
      if (next == eos) {
        break;
      }
    }
    return Arrays.copyOfRange(ids, prompt.length, ids.length);
  }
}
