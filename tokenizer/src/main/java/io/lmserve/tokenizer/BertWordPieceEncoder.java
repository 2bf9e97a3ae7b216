package io.lmserve.tokenizer;

import io.lmserve.tokenizer.model.Model;
import io.lmserve.tokenizer.model.WordPiece;
import io.lmserve.tokenizer.normalizer.BertNormalizer;
import io.lmserve.tokenizer.normalizer.CharClass;
import io.lmserve.tokenizer.normalizer.Normalizer;
import io.lmserve.tokenizer.pretokenizer.BertPreTokenizer;
import io.lmserve.tokenizer.pretokenizer.PreTokenizer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BERT's pipeline (BertNormalizer → BertPreTokenizer → WordPiece) fused into one pass over the
 * text, with no {@code NormalizedString}, alignment arrays or word objects. It relies on one fact:
 * for most characters BERT's normalization is a function of the character alone (drop it, make it a
 * space, or replace it by one character), so a table built by running the real normalizer on each
 * BMP character once gives the same text and the same alignments. Characters for which that is not
 * true (surrogates, combining marks that NFD could reorder, characters that become several, such as
 * Hangul syllables) are marked in the table, and a piece holding one goes through the general
 * pipeline instead. Immutable and thread-safe.
 */
final class BertWordPieceEncoder {

  /** Receives the tokens: vocabulary id, UTF-16 range in the original text, word index. */
  interface TokenSink {
    void token(int id, int start, int end, int word);
  }

  private static final byte DROP = 0; // removed by clean_text (controls, U+FFFD, NUL) or as Mn
  private static final byte SPACE = 1; // whitespace: ends a word and is dropped
  private static final byte ISOLATED = 2; // punctuation or CJK ideograph: a word of its own
  private static final byte WORD = 3; // part of a word, as its mapped character
  private static final byte GENERAL = 4; // needs the general pipeline

  /** Tables per normalizer configuration, shared by every tokenizer that uses it. */
  private static final ConcurrentHashMap<BertNormalizer, CharTable> TABLES =
      new ConcurrentHashMap<>();

  /** What BERT's normalizer and pre-tokenizer make of each BMP character on its own. */
  private record CharTable(byte[] kinds, char[] mapped) {
    static CharTable of(Normalizer normalizer) {
      byte[] kinds = new byte[65536];
      char[] mapped = new char[65536];
      for (int c = 0; c < 65536; c++) {
        if (Character.isSurrogate((char) c)) {
          kinds[c] = GENERAL;
          continue;
        }
        String out = normalizer.normalize(String.valueOf((char) c));
        char single;
        if (out.isEmpty()) {
          kinds[c] = DROP;
          continue;
        } else if (out.length() == 1) {
          single = out.charAt(0);
        } else if (out.length() == 3 && out.charAt(0) == ' ' && out.charAt(2) == ' ') {
          single = out.charAt(1); // a CJK ideograph with spaces put around it
          if (CharClass.isWhitespace(single)) {
            kinds[c] = GENERAL;
            continue;
          }
          kinds[c] = ISOLATED;
        } else {
          kinds[c] = GENERAL;
          continue;
        }
        mapped[c] = single;
        if (Character.isSurrogate(single) || CharClass.isMark(single)) {
          kinds[c] = GENERAL; // NFD may reorder marks with their neighbours
        } else if (kinds[c] == ISOLATED) {
          continue;
        } else if (CharClass.isWhitespace(single)) {
          kinds[c] = SPACE;
        } else if (CharClass.isBertPunctuation(single)) {
          kinds[c] = ISOLATED;
        } else {
          kinds[c] = WORD;
        }
      }
      return new CharTable(kinds, mapped);
    }
  }

  private final BertNormalizer normalizer;
  private final WordPiece wordPiece;
  private volatile CharTable table; // built on first use: 65536 normalizer calls

  private BertWordPieceEncoder(BertNormalizer normalizer, WordPiece wordPiece) {
    this.normalizer = normalizer;
    this.wordPiece = wordPiece;
  }

  /**
   * The fused path for this pipeline, or null when it is not BERT's. Added tokens must all be
   * matched in the original text ({@code normalized: false}), so cutting them out of the raw text
   * gives the same pieces as the general pipeline.
   */
  static BertWordPieceEncoder of(
      Normalizer normalizer, PreTokenizer preTokenizer, Model model, AddedVocabulary added) {
    if (normalizer instanceof BertNormalizer bert
        && preTokenizer instanceof BertPreTokenizer
        && model instanceof WordPiece wordPiece
        && !added.hasNormalizedTokens()) {
      return new BertWordPieceEncoder(bert, wordPiece);
    }
    return null;
  }

  private CharTable table() {
    CharTable t = table;
    if (t == null) {
      t = TABLES.computeIfAbsent(normalizer, CharTable::of);
      table = t;
    }
    return t;
  }

  /**
   * Tokenizes {@code text[from, to)}, a piece between added tokens, numbering words from {@code
   * firstWord}. Returns the next word index, or -1 without reporting anything when the piece needs
   * the general pipeline.
   */
  int encode(String text, int from, int to, int firstWord, TokenSink sink) {
    CharTable t = table();
    byte[] kinds = t.kinds;
    char[] mapped = t.mapped;
    for (int i = from; i < to; i++) {
      if (kinds[text.charAt(i)] == GENERAL) {
        return -1;
      }
    }
    // The normalized characters of the current word and the original index of each.
    char[] chars = new char[to - from];
    int[] source = new int[to - from];
    WordSink words = new WordSink(sink, source);
    words.word = firstWord;
    int length = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      switch (kinds[c]) {
        case WORD -> {
          chars[length] = mapped[c];
          source[length++] = i;
        }
        case SPACE -> {
          words.flush(wordPiece, chars, length);
          length = 0;
        }
        case ISOLATED -> {
          words.flush(wordPiece, chars, length);
          chars[0] = mapped[c];
          source[0] = i;
          words.flush(wordPiece, chars, 1);
          length = 0;
        }
        default -> {} // DROP: gone, without ending the word
      }
    }
    words.flush(wordPiece, chars, length);
    return words.word;
  }

  /** Turns WordPiece's word-relative ranges into original ranges and numbers the words. */
  private static final class WordSink implements Model.TokenSink {
    private final TokenSink sink;
    private final int[] source;
    int word;

    WordSink(TokenSink sink, int[] source) {
      this.sink = sink;
      this.source = source;
    }

    void flush(WordPiece wordPiece, char[] chars, int length) {
      if (length > 0) {
        wordPiece.tokenize(chars, 0, length, this);
        word++;
      }
    }

    @Override
    public void token(int id, int start, int end) {
      sink.token(id, source[start], source[end - 1] + 1, word);
    }
  }
}
