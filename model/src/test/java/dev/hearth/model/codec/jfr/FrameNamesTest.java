package dev.hearth.model.codec.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameNamesTest {

  @Test
  void namesAreClassDotMethodDottedOrSlashed() {
    assertThat(FrameNames.function("java.lang.Thread", "run", false))
        .isEqualTo("java.lang.Thread.run");
    assertThat(FrameNames.function("java.lang.Thread", "run", true))
        .isEqualTo("java/lang/Thread.run");
    assertThat(FrameNames.function("com.example.Outer$Inner", "<init>", true))
        .isEqualTo("com/example/Outer$Inner.<init>");
    // async-profiler's native and kernel frames have no class.
    assertThat(FrameNames.function("", "__GI___libc_write", false)).isEqualTo("__GI___libc_write");
  }

  @Test
  void generatedClassesMergeAcrossProcesses() {
    assertThat(FrameNames.mergeGenerated("HearthJfrWorkload$$Lambda.0x0000000012044a10"))
        .isEqualTo("HearthJfrWorkload$$Lambda_");
    assertThat(FrameNames.mergeGenerated("org.example.OrderService$$Lambda$669/0x0000000800fd7318"))
        .isEqualTo("org.example.OrderService$$Lambda_");
    assertThat(FrameNames.mergeGenerated("org.example.Fib$$Lambda$12"))
        .isEqualTo("org.example.Fib$$Lambda_");
    assertThat(FrameNames.mergeGenerated("java.lang.invoke.LambdaForm$DMH.0x0000000012045c00"))
        .isEqualTo("java.lang.invoke.LambdaForm$DMH_");
    assertThat(FrameNames.mergeGenerated("jdk.internal.reflect.GeneratedMethodAccessor31"))
        .isEqualTo("jdk.internal.reflect.GeneratedMethodAccessor_");
    assertThat(FrameNames.mergeGenerated("com.example.Foo$1")).isEqualTo("com.example.Foo$1");
    assertThat(FrameNames.mergeGenerated("com.example.Lambda$Holder"))
        .isEqualTo("com.example.Lambda$Holder");
  }

  @Test
  void frameTypes() {
    assertThat(FrameNames.frameType("Interpreted")).isEqualTo("jvm");
    assertThat(FrameNames.frameType("JIT compiled")).isEqualTo("jvm");
    assertThat(FrameNames.frameType("Inlined")).isEqualTo("jvm");
    assertThat(FrameNames.frameType("C1 compiled")).isEqualTo("jvm");
    assertThat(FrameNames.frameType("Native")).isEqualTo("native");
    assertThat(FrameNames.frameType("C++")).isEqualTo("native");
    assertThat(FrameNames.frameType("Kernel")).isEqualTo("kernel");
    assertThat(FrameNames.frameType(null)).isEqualTo("jvm");
  }
}
