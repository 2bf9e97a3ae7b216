package io.lmserve.tokenizer.sentencepiece;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProto;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProtoReader;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProtoWriter;
import io.lmserve.tokenizer.sentencepiece.proto.PieceType;
import io.lmserve.tokenizer.sentencepiece.proto.TrainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live differential fuzzing against SentencePiece itself: random texts (fixed seed) through {@code
 * spm_encode} (ids and pieces), {@code spm_normalize} and {@code spm_decode}, one process per
 * batch, compared line by line with this implementation.
 */
class SpmLiveDifferentialTest {

  private static final int TEXTS = 2500;

  @TempDir Path dir;

  /**
   * Without byte fallback (every shared model has it, so a copy drops it and its byte pieces) a run
   * of unknown characters is one unknown piece that spm_encode prints as the text itself: the
   * pipeline's tokens must be exactly spm_encode's pieces, and its ids spm's ids.
   */
  @ParameterizedTest
  @ValueSource(strings = {"unigram8k", "bpe8k"})
  void unknownRunsWithoutByteFallbackAsSpmEncode(String name) throws IOException {
    Path encoder = SpmCli.require("spm_encode");
    ModelProto m = ModelProtoReader.read(ReferenceSets.model(name));
    TrainerSpec t = m.trainerSpec();
    TrainerSpec noFallback =
        new TrainerSpec(
            t.modelType(),
            t.vocabSize(),
            t.splitByUnicodeScript(),
            t.splitByNumber(),
            t.splitByWhitespace(),
            t.treatWhitespaceAsSuffix(),
            t.allowWhitespaceOnlyPieces(),
            t.splitDigits(),
            false,
            t.controlSymbols(),
            t.userDefinedSymbols(),
            t.unkId(),
            t.bosId(),
            t.eosId(),
            t.padId(),
            t.unkPiece(),
            t.bosPiece(),
            t.eosPiece(),
            t.padPiece(),
            t.unkSurface());
    Path model = dir.resolve(name + "-no-byte-fallback.model");
    Files.write(
        model,
        ModelProtoWriter.write(
            new ModelProto(
                m.pieces().stream().filter(p -> p.type() != PieceType.BYTE).toList(),
                noFallback,
                m.normalizerSpec(),
                m.denormalizer())));
    RandomText random = new RandomText(0x5E7_0001L + name.hashCode());
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      texts.add(random.next(10));
    }
    List<Encoding> encodings = new ArrayList<>();
    List<String> mismatches = mismatchesWithSpmEncode(encoder, model, texts, encodings);
    int unknownRuns = 0;
    for (Encoding e : encodings) {
      unknownRuns += (int) Arrays.stream(e.ids()).filter(id -> id == t.unkId()).count();
    }
    assertEquals(List.of(), mismatches.subList(0, Math.min(5, mismatches.size())));
    assertEquals(true, unknownRuns > 50, "the texts must hold unknown runs: " + unknownRuns);
  }

  /**
   * The model types and options no shared model has (WORD, CHAR, user-defined symbols in Unigram
   * and BPE), trained by spm_train on the first 3000 corpus lines: ids and pieces of held-out lines
   * and random texts through {@code Tokenizer.load} equal spm_encode's.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "--model_type=word",
        "--model_type=char",
        "--model_type=unigram --user_defined_symbols=<sep>,hello,the,▁and,{{,!!",
        "--model_type=bpe --user_defined_symbols=<sep>,hello,the,▁and,{{,!!"
      })
  void spmTrainedModelsOfEveryTypeEncodeAsSpmEncode(String options) throws IOException {
    Path trainer = SpmCli.require("spm_train");
    Path encoder = SpmCli.require("spm_encode");
    List<String> corpus =
        Files.readAllLines(
                io.lmserve.testkit.SharedData.path("fixtures/tokenizers/corpus/spm_train.txt"))
            .subList(0, 3000);
    Path input = dir.resolve("corpus.txt");
    Files.write(input, corpus);
    Path prefix = dir.resolve("trained");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + input,
                "--model_prefix=" + prefix,
                "--vocab_size=1000",
                "--minloglevel=2"));
    args.addAll(List.of(options.split(" ")));
    SpmCli.runRaw(trainer, args, List.of());
    List<String> texts =
        new ArrayList<>(
            Files.readAllLines(
                    io.lmserve.testkit.SharedData.path(
                        "fixtures/tokenizers/corpus/spm_heldout.txt"))
                .subList(0, 300));
    RandomText random = new RandomText(options.hashCode());
    for (int i = 0; i < 300; i++) {
      texts.add(random.next(10) + (i % 3 == 0 ? " hello<sep>the and{{x!!!" : ""));
    }
    List<String> mismatches =
        mismatchesWithSpmEncode(encoder, dir.resolve("trained.model"), texts, new ArrayList<>());
    ReferenceSets.assertNoMismatches(mismatches, texts.size());
  }

  /** Encodes {@code texts} with the tokenizer and spm_encode; describes the lines that differ. */
  private static List<String> mismatchesWithSpmEncode(
      Path encoder, Path model, List<String> texts, List<Encoding> encodings) {
    Tokenizer tokenizer = Tokenizer.load(model);
    String modelArg = "--model=" + model;
    List<String> ids = SpmCli.run(encoder, List.of(modelArg, "--output_format=id"), texts);
    List<String> pieces = SpmCli.run(encoder, List.of(modelArg, "--output_format=piece"), texts);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      Encoding e = tokenizer.encode(texts.get(i));
      encodings.add(e);
      String idLine =
          Arrays.stream(e.ids()).mapToObj(Integer::toString).collect(Collectors.joining(" "));
      if (!idLine.equals(ids.get(i)) || !String.join(" ", e.tokens()).equals(pieces.get(i))) {
        mismatches.add(
            "text "
                + i
                + " "
                + escape(texts.get(i))
                + ": "
                + String.join(" ", e.tokens())
                + " vs spm "
                + pieces.get(i));
      }
    }
    return mismatches;
  }

  @ParameterizedTest
  @ValueSource(strings = {"unigram8k", "bpe8k", "bpe8k_llama"})
  void randomTextsEncodeNormalizeAndDecodeAsSentencePiece(String name) throws IOException {
    Path encoder = SpmCli.require("spm_encode");
    Path normalizer = SpmCli.require("spm_normalize");
    Path decoder = SpmCli.require("spm_decode");
    Path model = ReferenceSets.model(name);
    SentencePieceProcessor spm = SentencePieceProcessor.load(model);
    RandomText random = new RandomText(name.hashCode());
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < TEXTS; i++) {
      texts.add(random.next(i % 10 == 0 ? 60 : 12));
    }
    String modelArg = "--model=" + model;
    List<String> ids = SpmCli.run(encoder, List.of(modelArg, "--output_format=id"), texts);
    List<String> pieces = SpmCli.run(encoder, List.of(modelArg, "--output_format=piece"), texts);
    List<String> normalized =
        SpmCli.run(normalizer, List.of(modelArg, "--use_internal_normalization"), texts);
    List<String> mismatches = new ArrayList<>();
    List<String> ourIds = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      EncodedPieces ours = spm.encode(texts.get(i));
      String idLine =
          Arrays.stream(ours.ids()).mapToObj(Integer::toString).collect(Collectors.joining(" "));
      ourIds.add(idLine);
      String problem = null;
      if (!idLine.equals(ids.get(i))) {
        problem = "ids " + idLine + " vs spm " + ids.get(i);
      } else if (!String.join(" ", ours.pieces()).equals(pieces.get(i))) {
        problem = "pieces " + String.join(" ", ours.pieces()) + " vs spm " + pieces.get(i);
      } else if (!spm.normalize(texts.get(i)).equals(normalized.get(i))) {
        problem =
            "normalized '" + spm.normalize(texts.get(i)) + "' vs spm '" + normalized.get(i) + "'";
      }
      if (problem != null) {
        mismatches.add("text " + i + " " + escape(texts.get(i)) + ": " + problem);
      }
      SpmReferenceTest.assertOffsetsInsideAndMonotonic(texts.get(i), ours);
    }
    List<String> decoded = SpmCli.run(decoder, List.of(modelArg, "--input_format=id"), ourIds);
    for (int i = 0; i < texts.size(); i++) {
      int[] lineIds =
          ourIds.get(i).isEmpty()
              ? new int[0]
              : Arrays.stream(ourIds.get(i).split(" ")).mapToInt(Integer::parseInt).toArray();
      String ours = spm.decode(lineIds);
      if (!ours.equals(decoded.get(i))) {
        mismatches.add(
            "decode of text "
                + i
                + " "
                + escape(texts.get(i))
                + ": '"
                + escape(ours)
                + "' vs spm '"
                + escape(decoded.get(i))
                + "'");
      }
    }
    ReferenceSets.assertNoMismatches(mismatches, texts.size());
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20
                  || (cp >= 0x7F && cp < 0xA0)
                  || Character.getType(cp) == Character.FORMAT) {
                sb.append(String.format("\\u%04X", cp));
              } else {
                sb.appendCodePoint(cp);
              }
            });
    return sb.append('"').toString();
  }

  @Test
  void nbestListsEqualSpmEncodes() throws IOException {
    Path encoder = SpmCli.require("spm_encode");
    Path model = ReferenceSets.model("unigram8k");
    SentencePieceProcessor spm = SentencePieceProcessor.load(model);
    int n = 4;
    RandomText random = new RandomText(99);
    List<String> texts = new ArrayList<>();
    List<List<EncodedPieces>> ours = new ArrayList<>();
    while (texts.size() < 600) {
      String text = random.next(8);
      List<EncodedPieces> best = spm.nbest(text, n);
      if (best.size() == n) {
        texts.add(text);
        ours.add(best);
      }
    }
    List<String> lines =
        SpmCli.runRaw(
            encoder,
            List.of("--model=" + model, "--output_format=nbest_piece", "--nbest_size=" + n),
            texts);
    assertEquals(texts.size() * n, lines.size(), "spm_encode gave " + n + " segmentations each");
    List<String> mismatches = new ArrayList<>();
    for (int t = 0; t < texts.size(); t++) {
      for (int k = 0; k < n; k++) {
        String mine = String.join(" ", ours.get(t).get(k).pieces());
        if (!mine.equals(lines.get(t * n + k))) {
          mismatches.add(
              "text "
                  + t
                  + " "
                  + escape(texts.get(t))
                  + " #"
                  + k
                  + ": "
                  + mine
                  + " vs spm "
                  + lines.get(t * n + k));
        }
      }
    }
    ReferenceSets.assertNoMismatches(mismatches, texts.size());
  }
}
