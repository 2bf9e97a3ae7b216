package io.lmserve.tokenizer.sentencepiece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.json.TokenizerJsonWriter;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProto;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProtoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code .model} re-expressed for HF tokenizers is the same {@code tokenizer.json} as the shared
 * reference conversion, and saving a {@code .model} tokenizer writes that form plus the {@code
 * .model} itself, each loading back to what it was.
 */
class HfTokenizerFormTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"unigram8k", "bpe8k", "bpe8k_llama"})
  void conversionEqualsTheReferenceTokenizerJson(String name) throws IOException {
    ModelProto model = ModelProtoReader.read(ReferenceSets.model(name));
    ObjectNode ours = TokenizerJsonWriter.write(HfTokenizerForm.of(model).build());
    JsonNode reference = JSON.readTree(Files.readString(ReferenceSets.hfTokenizer(name)));
    assertEquals(withoutEmptyAffixes(reference), withoutEmptyAffixes(ours));
  }

  /** BPE's absent affixes are null in one writer and "" in the other; both mean none. */
  private static JsonNode withoutEmptyAffixes(JsonNode tokenizer) {
    ObjectNode copy = (ObjectNode) tokenizer.deepCopy();
    ObjectNode model = (ObjectNode) copy.get("model");
    for (String field : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
      JsonNode v = model.get(field);
      if (v != null && (v.isNull() || v.asString().isEmpty())) {
        model.remove(field);
      }
    }
    return copy;
  }

  @ParameterizedTest
  @ValueSource(strings = {"unigram8k", "bpe8k_llama"})
  void savingWritesTheHfFormAndTheModelFile(String name, @TempDir Path folder) throws IOException {
    Tokenizer original = Tokenizer.load(ReferenceSets.model(name));
    original.save(folder);
    assertTrue(Files.isRegularFile(folder.resolve("tokenizer.json")));
    Tokenizer reloadedModel = Tokenizer.load(folder.resolve("tokenizer.model"));
    Tokenizer hf = Tokenizer.load(folder); // tokenizer.json comes first
    for (ReferenceSets.Expected expected : ReferenceSets.expected("edge", name, "hf")) {
      Encoding e = original.encode(expected.text());
      assertArrayEquals(e.ids(), reloadedModel.encode(expected.text()).ids(), expected.text());
      Encoding h = hf.encode(expected.text());
      assertArrayEquals(expected.ids(), h.ids(), expected.text());
      assertArrayEquals(expected.tokens(), h.tokens(), expected.text());
    }
  }
}
