/* FPU/SSE state held in registers across the move: xmm8-xmm15, MXCSR and the x87 control word
 * are set, the process sleeps in pause(2) from assembly (no libc call may touch them), and the
 * values are read back after SIGTERM. */
#include "compat.h"
#include <sys/syscall.h>
#if defined(__x86_64__)
static unsigned char in[8][16] __attribute__((aligned(16))), out[8][16] __attribute__((aligned(16)));
int main(void) {
  compat_init();
  for (int r = 0; r < 8; r++)
    for (int i = 0; i < 16; i++) in[r][i] = (unsigned char)(r * 31 + i * 7 + 1);
  unsigned mxcsr = 0, mx_after = 0;
  unsigned short cw = 0, cw_after = 0;
  __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
  mxcsr = (mxcsr & ~0x6000u) | 0x6000u | 0x8040u; /* round toward zero, FTZ, DAZ */
  __asm__ volatile("ldmxcsr %0" ::"m"(mxcsr));
  __asm__ volatile("fnstcw %0" : "=m"(cw));
  cw = (unsigned short)((cw & ~0x0300) | 0x0000 | 0x0C00); /* single precision, truncate */
  __asm__ volatile("fldcw %0" ::"m"(cw));
  compat_ready();
  __asm__ volatile(
      "movdqa 0(%[in]), %%xmm8\n\tmovdqa 16(%[in]), %%xmm9\n\tmovdqa 32(%[in]), %%xmm10\n\t"
      "movdqa 48(%[in]), %%xmm11\n\tmovdqa 64(%[in]), %%xmm12\n\tmovdqa 80(%[in]), %%xmm13\n\t"
      "movdqa 96(%[in]), %%xmm14\n\tmovdqa 112(%[in]), %%xmm15\n\t"
      "1:\n\tmovl %[nr], %%eax\n\tsyscall\n\tcmpl $0, %[flag]\n\tje 1b\n\t"
      "movdqa %%xmm8, 0(%[out])\n\tmovdqa %%xmm9, 16(%[out])\n\tmovdqa %%xmm10, 32(%[out])\n\t"
      "movdqa %%xmm11, 48(%[out])\n\tmovdqa %%xmm12, 64(%[out])\n\tmovdqa %%xmm13, 80(%[out])\n\t"
      "movdqa %%xmm14, 96(%[out])\n\tmovdqa %%xmm15, 112(%[out])\n\t"
      :
      : [in] "r"(in), [out] "r"(out), [nr] "i"(SYS_pause), [flag] "m"(compat_term)
      : "rax", "rcx", "r11", "memory", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
  __asm__ volatile("stmxcsr %0" : "=m"(mx_after));
  __asm__ volatile("fnstcw %0" : "=m"(cw_after));
  for (int r = 0; r < 8; r++) CHECK(memcmp(in[r], out[r], 16) == 0, "xmm%d changed", r + 8);
  CHECK((mx_after & ~0x3Fu) == (mxcsr & ~0x3Fu), "MXCSR %#x, was %#x", mx_after, mxcsr);
  CHECK(cw_after == cw, "x87 control word %#x, was %#x", cw_after, cw);
  return compat_finish();
}
#else
/* Elsewhere: the floating-point environment through fenv. */
#include <fenv.h>
int main(void) {
  compat_init();
  SETUP(fesetround(FE_TOWARDZERO) == 0);
  compat_ready();
  compat_wait();
  CHECK(fegetround() == FE_TOWARDZERO, "rounding mode lost");
  return compat_finish();
}
#endif
