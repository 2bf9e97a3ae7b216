package io.lmserve.service.models;

import io.lmserve.generation.TextPrompts;
import io.lmserve.generation.fillmask.FillMask;
import io.lmserve.generation.schedule.Scheduler;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.MaskedLm;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a loaded model can run besides its tokenizer: nothing (a tokenizer entry), generation on its
 * own scheduler (causal-lm), or fill-mask (masked-lm). Closing releases the weights and, for a
 * causal model, ends its scheduler (running requests finish as cancelled); a second close does
 * nothing.
 */
public sealed interface Inference extends AutoCloseable {

  @Override
  void close();

  /** A tokenizer-only entry. */
  record None() implements Inference {
    @Override
    public void close() {}
  }

  /**
   * A causal LM with its continuous-batching scheduler.
   *
   * @param prompts turns prompt text into requests with the model's tokenizer and the limits
   */
  record Generation(CausalLm model, Scheduler scheduler, TextPrompts prompts, AtomicBoolean closed)
      implements Inference {

    public Generation(CausalLm model, Scheduler scheduler, TextPrompts prompts) {
      this(model, scheduler, prompts, new AtomicBoolean());
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        scheduler.close(); // first: no step may run on unmapped weights
        model.close();
      }
    }
  }

  /** A masked LM and HF's fill-mask pipeline over it. */
  record FillMasking(MaskedLm model, FillMask fillMask, AtomicBoolean closed) implements Inference {

    public FillMasking(MaskedLm model, FillMask fillMask) {
      this(model, fillMask, new AtomicBoolean());
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        model.close();
      }
    }
  }
}
