package io.lmserve.tokenizer.sentencepiece.proto;

import java.util.List;

/**
 * The training options a model was made with, as far as they matter for using it. Absent fields
 * take the defaults of {@code sentencepiece_model.proto}.
 *
 * @param splitDigits whether training kept digits apart; encoding needs no step of its own for it,
 *     because no piece of such a model holds two digits
 * @param unkSurface what an unknown piece decodes to
 */
public record TrainerSpec(
    ModelType modelType,
    int vocabSize,
    boolean splitByUnicodeScript,
    boolean splitByNumber,
    boolean splitByWhitespace,
    boolean treatWhitespaceAsSuffix,
    boolean allowWhitespaceOnlyPieces,
    boolean splitDigits,
    boolean byteFallback,
    List<String> controlSymbols,
    List<String> userDefinedSymbols,
    int unkId,
    int bosId,
    int eosId,
    int padId,
    String unkPiece,
    String bosPiece,
    String eosPiece,
    String padPiece,
    String unkSurface) {

  public TrainerSpec {
    controlSymbols = List.copyOf(controlSymbols);
    userDefinedSymbols = List.copyOf(userDefinedSymbols);
  }

  /** The options of a spec with no fields set. */
  public static TrainerSpec defaults() {
    return new TrainerSpec(
        ModelType.UNIGRAM,
        8000,
        true,
        true,
        true,
        false,
        false,
        false,
        false,
        List.of(),
        List.of(),
        0,
        1,
        2,
        -1,
        "<unk>",
        "<s>",
        "</s>",
        "<pad>",
        " \u2047 ");
  }
}
