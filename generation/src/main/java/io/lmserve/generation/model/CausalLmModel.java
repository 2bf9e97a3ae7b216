package io.lmserve.generation.model;

import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.ModelConfig;
import io.lmserve.transformer.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** The engine's causal LM as generation sees it: sessions are sequences, one batched step. */
public final class CausalLmModel implements BatchModel {

  private final CausalLm model;
  private final long cacheBytesPerToken;

  public CausalLmModel(CausalLm model) {
    this.model = model;
    ModelConfig config = model.config();
    // the engine keeps float32 keys and values of every layer for each token of capacity
    this.cacheBytesPerToken = 2L * config.numLayers() * config.hiddenSize() * Float.BYTES;
  }

  public CausalLm model() {
    return model;
  }

  @Override
  public int vocabSize() {
    return model.config().vocabSize();
  }

  @Override
  public int contextLength() {
    return model.config().maxPositions();
  }

  @Override
  public OptionalInt eosTokenId() {
    return model.config().eosTokenId();
  }

  @Override
  public Sequence newSequence(int capacity) {
    return new SessionSequence(model.newSession(capacity));
  }

  @Override
  public float[][] decodeBatch(List<Sequence> sequences, int[] tokens) {
    List<Session> sessions = new ArrayList<>(sequences.size());
    for (Sequence sequence : sequences) {
      if (!(sequence instanceof SessionSequence s)) {
        throw new IllegalArgumentException("not a sequence of this model: " + sequence);
      }
      sessions.add(s.session);
    }
    return model.decodeBatch(sessions, tokens);
  }

  private final class SessionSequence implements Sequence {
    private final Session session;

    SessionSequence(Session session) {
      this.session = session;
    }

    @Override
    public float[] prefill(int[] tokens) {
      return session.prefill(tokens);
    }

    @Override
    public float[] decode(int token) {
      return session.decode(token);
    }

    @Override
    public int length() {
      return session.length();
    }

    @Override
    public long cacheBytes() {
      return session.capacity() * cacheBytesPerToken;
    }

    @Override
    public void close() {
      session.close();
    }
  }
}
