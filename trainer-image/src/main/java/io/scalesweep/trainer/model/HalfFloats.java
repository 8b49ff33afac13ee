package io.scalesweep.trainer.model;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/** Widens IEEE half and bfloat16 values to float (Java 17 has no Float.float16ToFloat). */
final class HalfFloats {

  private HalfFloats() {}

  static FloatBuffer fromBF16(ByteBuffer raw) {
    ShortBuffer in = raw.asShortBuffer();
    FloatBuffer out = FloatBuffer.allocate(in.remaining());
    while (in.hasRemaining()) {
      // bfloat16 is the top half of a float32.
      out.put(Float.intBitsToFloat((in.get() & 0xffff) << 16));
    }
    return out.flip();
  }

  static FloatBuffer fromF16(ByteBuffer raw) {
    ShortBuffer in = raw.asShortBuffer();
    FloatBuffer out = FloatBuffer.allocate(in.remaining());
    while (in.hasRemaining()) {
      out.put(f16ToFloat(in.get()));
    }
    return out.flip();
  }

  static float f16ToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: the value is mantissa * 2^-24.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
