package io.lmserve.tokenizer.sentencepiece.proto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the protobuf wire format from a byte array, bounded to one message.
 *
 * <p>Every length read from the input is checked against the bytes that remain, so a corrupt or
 * hostile file can neither read out of bounds nor make us allocate more than the file's own size.
 */
final class WireReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] data;
  private final String context;
  private int position;
  private final int limit;

  WireReader(byte[] data, String context) {
    this(data, 0, data.length, context);
  }

  private WireReader(byte[] data, int offset, int limit, String context) {
    this.data = data;
    this.position = offset;
    this.limit = limit;
    this.context = context;
  }

  boolean hasMore() {
    return position < limit;
  }

  /** The next field's tag: field number in the high bits, wire type in the low three. */
  int readTag() {
    int at = position;
    long tag = readVarint();
    if (tag <= 0 || tag > 0xFFFF_FFFFL || (tag >>> 3) == 0) {
      throw malformed(at, "invalid field tag " + tag);
    }
    return (int) tag;
  }

  static int fieldNumber(int tag) {
    return tag >>> 3;
  }

  static int wireType(int tag) {
    return tag & 7;
  }

  long readVarint() {
    int at = position;
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= limit) {
        throw malformed(at, "truncated varint");
      }
      byte b = data[position++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw malformed(at, "varint longer than 10 bytes");
  }

  /** An int32 field: negative values are sign-extended to ten bytes on the wire. */
  int readInt32() {
    return (int) readVarint();
  }

  boolean readBool() {
    return readVarint() != 0;
  }

  float readFloat() {
    require(4, "float");
    int bits =
        (data[position] & 0xFF)
            | (data[position + 1] & 0xFF) << 8
            | (data[position + 2] & 0xFF) << 16
            | (data[position + 3] & 0xFF) << 24;
    position += 4;
    return Float.intBitsToFloat(bits);
  }

  byte[] readBytes() {
    int length = readLength();
    byte[] bytes = new byte[length];
    System.arraycopy(data, position, bytes, 0, length);
    position += length;
    return bytes;
  }

  String readString() {
    int at = position;
    int length = readLength();
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(data, position, length))
              .toString();
      position += length;
      return s;
    } catch (CharacterCodingException e) {
      throw malformed(at, "string field is not valid UTF-8");
    }
  }

  /** A reader over the embedded message that follows, which this reader then skips. */
  WireReader readMessage(String name) {
    int length = readLength();
    WireReader nested = new WireReader(data, position, position + length, context + "." + name);
    position += length;
    return nested;
  }

  void skipField(int tag) {
    switch (wireType(tag)) {
      case VARINT -> readVarint();
      case FIXED64 -> skip(8, "fixed64");
      case LENGTH_DELIMITED -> {
        int length = readLength();
        position += length;
      }
      case FIXED32 -> skip(4, "fixed32");
      default ->
          throw malformed(
              position,
              "unsupported wire type " + wireType(tag) + " for field " + fieldNumber(tag));
    }
  }

  /** Fails unless a field has the wire type its schema declares. */
  void expect(int tag, int wireType, String field) {
    if (wireType(tag) != wireType) {
      throw malformed(
          position,
          "field " + field + " has wire type " + wireType(tag) + ", expected " + wireType);
    }
  }

  private int readLength() {
    int at = position;
    long length = readVarint();
    if (length < 0 || length > limit - position) {
      throw malformed(
          at, "length " + length + " exceeds the " + (limit - position) + " bytes that remain");
    }
    return (int) length;
  }

  private void skip(int n, String what) {
    require(n, what);
    position += n;
  }

  private void require(int n, String what) {
    if (limit - position < n) {
      throw malformed(position, "truncated " + what);
    }
  }

  MalformedModelException malformed(int at, String problem) {
    return new MalformedModelException(
        "not a valid SentencePiece model: " + problem + " in " + context + " at byte " + at);
  }
}
