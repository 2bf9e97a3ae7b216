package io.lmserve.tokenizer.training;

import java.util.List;

/** The kinds of tokenizer lmserve trains, with their conventional special tokens. */
public enum TrainerType {
  /** Classic BPE: whitespace words, {@code </w>} marking the end of a word. */
  BPE("bpe", List.of("<unk>")),
  /** GPT-2 style byte-level BPE: 256 byte symbols, nothing is ever unknown. */
  BYTE_BPE("byte-bpe", List.of("<|endoftext|>")),
  /** BERT style WordPiece: {@code ##} continuation, BERT's normalizer and pre-tokenizer. */
  WORDPIECE("wordpiece", List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")),
  /** SentencePiece style Unigram language model, {@code ▁} for spaces. */
  UNIGRAM("unigram", List.of("<unk>", "<s>", "</s>")),
  /** SentencePiece style BPE: {@code ▁} for spaces, SentencePiece's piece rules. */
  SENTENCEPIECE_BPE("spm-bpe", List.of("<unk>", "<s>", "</s>"));

  private final String cliName;
  private final List<String> defaultSpecialTokens;

  TrainerType(String cliName, List<String> defaultSpecialTokens) {
    this.cliName = cliName;
    this.defaultSpecialTokens = defaultSpecialTokens;
  }

  /** The name used on the command line ({@code --type}). */
  public String cliName() {
    return cliName;
  }

  public List<String> defaultSpecialTokens() {
    return defaultSpecialTokens;
  }

  /** The type named {@code name} on the command line. */
  public static TrainerType fromCliName(String name) {
    for (TrainerType type : values()) {
      if (type.cliName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown tokenizer type '"
            + name
            + "' (expected one of bpe, byte-bpe, wordpiece, unigram, spm-bpe)");
  }
}
