package io.lmserve.cli;

import io.lmserve.cli.Main.UsageException;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.ModelConfig;
import io.lmserve.transformer.Session;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** {@code lmserve generate}: greedy continuation of token ids with a causal LM folder. */
final class GenerateCommand extends OptionsCommand {

  static final String USAGE =
      """
      Usage: lmserve generate --model DIR --prompt-ids 5,17,42 [--max-new-tokens N] [--no-cache] [--ignore-eos]

      Continues the prompt greedily (argmax at every step) with the causal language model in DIR (an HF
      folder: config.json + model.safetensors) and prints one JSON line {"ids":[...new ids...]}.

        --model DIR          HF model folder (model_type gpt2)
        --prompt-ids LIST    comma-separated prompt token ids
        --max-new-tokens N   tokens to generate (default 20); prompt + N must fit the model's context
        --no-cache           recompute the whole prefix at every step instead of using the KV cache
                             (slower; for checking the cache)
        --ignore-eos         keep going after the config's eos_token_id (default: stop after it)
      """;

  private static final Options.Spec SPEC =
      new Options.Spec()
          .value("--model")
          .value("--prompt-ids")
          .value("--max-new-tokens")
          .flag("--no-cache")
          .flag("--ignore-eos");

  @Override
  public String summary() {
    return "greedy generation from token ids with a GPT-2 model folder (prints JSON)";
  }

  GenerateCommand() {
    super(USAGE, SPEC);
  }

  @Override
  int run(Options options) throws Exception {
    String folder = options.required("--model");
    int[] prompt = options.intList("--prompt-ids", 0, Integer.MAX_VALUE, 1 << 20);
    int maxNew = options.integer("--max-new-tokens", 0, 1 << 20).orElse(20);
    try (CausalLm model = ModelFolders.open(folder, CausalLm.class, "generate")) {
      ModelConfig config = model.config();
      for (int id : prompt) {
        if (id >= config.vocabSize()) {
          throw new UsageException(
              "--prompt-ids: " + id + " out of range [0, " + config.vocabSize() + ")");
        }
      }
      if (prompt.length + maxNew > config.maxPositions()) {
        throw new UsageException(
            prompt.length
                + " prompt ids + "
                + maxNew
                + " new tokens exceed the model's context of "
                + config.maxPositions());
      }
      int eos = options.flag("--ignore-eos") ? -1 : config.eosTokenId().orElse(-1);
      int[] generated =
          options.flag("--no-cache")
              ? generateWithoutCache(model, prompt, maxNew, eos)
              : generateWithCache(model, prompt, maxNew, eos);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("ids", generated);
      System.out.println(JsonMapper.shared().writeValueAsString(json));
    }
    return 0;
  }

  private static int[] generateWithCache(CausalLm model, int[] prompt, int maxNew, int eos) {
    int[] out = new int[maxNew];
    int n = 0;
    if (maxNew == 0) {
      return out;
    }
    try (Session session = model.newSession(prompt.length + maxNew)) {
      float[] logits = session.prefill(prompt);
      while (true) {
        int next = argmax(logits);
        out[n++] = next;
        if (n == maxNew || next == eos) {
          break;
        }
        logits = session.decode(next);
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static int[] generateWithoutCache(CausalLm model, int[] prompt, int maxNew, int eos) {
    int[] ids = prompt;
    for (int step = 0; step < maxNew; step++) {
      float[][] logits = model.forward(new int[][] {ids}, null)[0];
      int next = argmax(logits[ids.length - 1]);
      ids = Arrays.copyOf(ids, ids.length + 1);
      ids[ids.length - 1] = next;
      if (next == eos) {
        break;
      }
    }
    return Arrays.copyOfRange(ids, prompt.length, ids.length);
  }

  /** The first index of the largest logit (ties go to the lower id, like torch.argmax). */
  static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
