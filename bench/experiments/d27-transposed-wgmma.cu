// d27: a timing and layout probe for the Gated DeltaNet loop in FlashInfer's
// form (bench/NOTES.md, d27). Not Loom's product: a hand-written kernel that
// measures what the design would give before LoomToGPU emits it, and pins
// down the descriptors, swizzles and fragment maps the emitter will need.
//
// One CTA per (head, 64-column value tile): a producer warp loads each
// chunk's K, Q (64 x 128), V (64 x 64), T' = T diag(beta) and P' = scale P
// (64 x 64, as the inverse pass would write them) by tensor-map copies with
// the 128-byte swizzle, and G (64 f32) by a bulk copy, into a ring of three
// stages under mbarriers. One warpgroup holds the state transposed, S^T
// (value rows x keys), as the f32 accumulator of wgmma, and every product
// takes its A operand from registers:
//
//   R^T = V^T - exp2(G_i) (S^T K^T)       m64n64k16 x 8, B = K (K-major)
//   U^T = R^T T'^T                        m64n64k16 x 4, B = T' (K-major)
//   O^T = scale exp2(G_i) (S^T Q^T) + U^T P'^T
//   S^T = exp2(G_last) S^T + (U^T exp2(G_last - G_j)) K
//                                         m64n128k16 x 4, B = K (MN-major)
//
// S never passes through shared memory. O^T goes out by stmatrix.trans into
// a swizzled staging tile and a tensor-map store.
//
//   nvcc -O3 -std=c++17 -gencode=arch=compute_90a,code=sm_90a \
//        d27-transposed-wgmma.cu -lcuda -o d27 && ./d27
#include <cuda.h>
#include <cudaTypedefs.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <tuple>
#include <vector>

#define CHECK(x)                                                               \
  do {                                                                         \
    cudaError_t e_ = (x);                                                      \
    if (e_ != cudaSuccess) {                                                   \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__,                       \
              cudaGetErrorString(e_));                                         \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

// -DD27_OUTPUT=0 leaves O's products out (timing only): what the chain
// alone takes.
#ifndef D27_OUTPUT
#define D27_OUTPUT 1
#endif
constexpr int kOutputProducts = D27_OUTPUT;
constexpr int kChunk = 64, kKey = 128, kTile = 64, kStages = 3;
// One stage, every tile 1024-byte aligned (the 128-byte swizzle's atom).
constexpr int kOffK = 0, kOffQ = 16384, kOffV = 32768, kOffT = 40960,
              kOffP = 49152, kOffG = 57344, kStageBytes = 58368;
constexpr int kOffO = kStages * kStageBytes; // two 8 KB staging tiles
constexpr int kOffBar = kOffO + 2 * 8192;    // full[3], empty[3]
constexpr int kSmem = kOffBar + 64 + 1024;   // + alignment slack
constexpr uint32_t kStageTx = 2 * 16384 + 3 * 8192 + 256;

__device__ __forceinline__ uint32_t smemAddr(const void *p) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

// sm_90 matrix descriptor, 128-byte swizzle.
__device__ __forceinline__ uint64_t descriptor(uint32_t addr, uint32_t lbo,
                                               uint32_t sbo) {
  uint64_t d = (addr & 0x3FFFF) >> 4;
  d |= uint64_t((lbo >> 4) & 0x3FFF) << 16;
  d |= uint64_t((sbo >> 4) & 0x3FFF) << 32;
  d |= uint64_t(1) << 62;
  return d;
}

__device__ __forceinline__ uint32_t pack(float lo, float hi) {
  __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
  return *reinterpret_cast<uint32_t *>(&v);
}
__device__ __forceinline__ float2 unpack(uint32_t v) {
  __nv_bfloat162 h = *reinterpret_cast<__nv_bfloat162 *>(&v);
  return __bfloat1622float2(h);
}

__device__ __forceinline__ float ex2(float x) {
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
  return y;
}

__device__ __forceinline__ void wgmmaFence() {
  asm volatile("wgmma.fence.sync.aligned;" ::: "memory");
}
__device__ __forceinline__ void wgmmaCommit() {
  asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
}
template <int N> __device__ __forceinline__ void wgmmaWait() {
  asm volatile("wgmma.wait_group.sync.aligned %0;" ::"n"(N) : "memory");
}
template <int N> __device__ __forceinline__ void pin(float (&d)[N]) {
#pragma unroll
  for (int i = 0; i < N; ++i)
    asm volatile("" : "+f"(d[i])::"memory");
}

// d (+)= A * B, m64n64k16, A from registers, B by descriptor.
__device__ __forceinline__ void mma64(float (&d)[32], const uint32_t *a,
                                      uint64_t b, int accumulate) {
  asm volatile(
      "{\n.reg .pred p;\nsetp.ne.b32 p, %38, 0;\n"
      "wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 "
      "{%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,"
      "%16,%17,%18,%19,%20,%21,%22,%23,%24,%25,%26,%27,%28,%29,%30,%31},"
      "{%32,%33,%34,%35}, %36, p, 1, 1, %37;\n}\n"
      : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]),
        "+f"(d[6]), "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]),
        "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]),
        "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]),
        "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), "+f"(d[24]), "+f"(d[25]),
        "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]),
        "+f"(d[31])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b), "n"(0),
        "r"(accumulate));
}

// d += A * B, m64n128k16, B MN-major (transposed).
__device__ __forceinline__ void mma128t(float (&d)[64], const uint32_t *a,
                                        uint64_t b) {
  asm volatile(
      "{\n.reg .pred p;\nsetp.ne.b32 p, 1, 0;\n"
      "wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 "
      "{%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,"
      "%16,%17,%18,%19,%20,%21,%22,%23,%24,%25,%26,%27,%28,%29,%30,%31,"
      "%32,%33,%34,%35,%36,%37,%38,%39,%40,%41,%42,%43,%44,%45,%46,%47,"
      "%48,%49,%50,%51,%52,%53,%54,%55,%56,%57,%58,%59,%60,%61,%62,%63},"
      "{%64,%65,%66,%67}, %68, p, 1, 1, 1;\n}\n"
      : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]),
        "+f"(d[6]), "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]),
        "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]),
        "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]),
        "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), "+f"(d[24]), "+f"(d[25]),
        "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]),
        "+f"(d[31]), "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]),
        "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]), "+f"(d[40]),
        "+f"(d[41]), "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]),
        "+f"(d[46]), "+f"(d[47]), "+f"(d[48]), "+f"(d[49]), "+f"(d[50]),
        "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]),
        "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]),
        "+f"(d[61]), "+f"(d[62]), "+f"(d[63])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b));
}

__device__ __forceinline__ void mbarInit(uint32_t bar, int count) {
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(bar),
               "r"(count));
}
__device__ __forceinline__ void mbarExpectTx(uint32_t bar, uint32_t bytes) {
  asm volatile(
      "mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(bar),
      "r"(bytes)
      : "memory");
}
__device__ __forceinline__ void mbarArrive(uint32_t bar) {
  asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(bar)
               : "memory");
}
__device__ __forceinline__ void mbarWait(uint32_t bar, uint32_t parity) {
  asm volatile("{\n.reg .pred p;\nWAIT_%=:\n"
               "mbarrier.try_wait.parity.shared::cta.b64 p, [%0], %1;\n"
               "@!p bra WAIT_%=;\n}\n" ::"r"(bar),
               "r"(parity)
               : "memory");
}
__device__ __forceinline__ void tmaLoad(uint32_t dst, const CUtensorMap *map,
                                        int c0, int c1, uint32_t bar) {
  asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::"
               "complete_tx::bytes [%0], [%1, {%2, %3}], [%4];" ::"r"(dst),
               "l"(map), "r"(c0), "r"(c1), "r"(bar)
               : "memory");
}
__device__ __forceinline__ void bulkLoad(uint32_t dst, const void *src,
                                         uint32_t bytes, uint32_t bar) {
  asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::"
               "bytes [%0], [%1], %2, [%3];" ::"r"(dst),
               "l"(src), "r"(bytes), "r"(bar)
               : "memory");
}
// The single-thread operations of the state warpgroup are predicated, not
// branched around: a divergent branch while wgmma is in flight makes ptxas
// serialize every wgmma (C7518).
__device__ __forceinline__ void tmaStore(const CUtensorMap *map, int c0, int c1,
                                         uint32_t src, bool on) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %4, 0;\n"
               "@p cp.async.bulk.tensor.2d.global.shared::cta.bulk_group "
               "[%0, {%1, %2}], [%3];\n"
               "@p cp.async.bulk.commit_group;\n}\n" ::"l"(map),
               "r"(c0), "r"(c1), "r"(src), "r"(int(on))
               : "memory");
}
__device__ __forceinline__ void storeReadWait(bool on) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %0, 0;\n"
               "@p cp.async.bulk.wait_group.read 1;\n}\n" ::"r"(int(on))
               : "memory");
}
__device__ __forceinline__ void mbarArriveIf(uint32_t bar, bool on) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %1, 0;\n"
               "@p mbarrier.arrive.shared::cta.b64 _, [%0];\n}\n" ::"r"(bar),
               "r"(int(on))
               : "memory");
}

// Byte offset of (row, 16-byte segment) in a [rows][64] 16-bit tile with
// the 128-byte swizzle.
__device__ __forceinline__ uint32_t swizzled(int row, int segment) {
  return row * 128 + ((segment ^ (row & 7)) << 4);
}

// O^T's accumulators (value rows, chunk-row columns) into a swizzled
// [64 rows][64 values] staging tile: stmatrix.trans writes each 8x8 block
// transposed, at the addresses ldmatrix.trans reads V^T from.
__device__ __forceinline__ void stageO(const float (&o)[32], uint32_t buf,
                                       int warp, int lane) {
#pragma unroll
  for (int q = 0; q < 4; ++q) {
    const int m = lane / 8, rr = lane % 8;
    const int n = 2 * q + (m >> 1), hh = m & 1;
    const uint32_t addr = buf + swizzled(8 * n + rr, 2 * warp + hh);
    asm volatile("stmatrix.sync.aligned.m8n8.x4.trans.shared.b16 [%0], "
                 "{%1, %2, %3, %4};" ::"r"(addr),
                 "r"(pack(o[8 * q + 0], o[8 * q + 1])),
                 "r"(pack(o[8 * q + 2], o[8 * q + 3])),
                 "r"(pack(o[8 * q + 4], o[8 * q + 5])),
                 "r"(pack(o[8 * q + 6], o[8 * q + 7]))
                 : "memory");
  }
}

struct Args {
  const float *g; // [heads][chunks][64], the in-chunk cumsum (log2)
  float *state;   // [heads][128 keys][128 values]
  int tokens, heads, chunks;
  float scale;
  // K as the state update's MN-major B: strides between the two 64-key
  // atoms and between 8-row groups (swappable, to settle which field
  // holds which).
  uint32_t mnLeading, mnStride;
};

__global__ void __launch_bounds__(160, 1)
    loop(const __grid_constant__ CUtensorMap mapK,
         const __grid_constant__ CUtensorMap mapQ,
         const __grid_constant__ CUtensorMap mapV,
         const __grid_constant__ CUtensorMap mapT,
         const __grid_constant__ CUtensorMap mapP,
         const __grid_constant__ CUtensorMap mapO, Args args) {
  extern __shared__ uint8_t rawSmem[];
  uint8_t *smem = reinterpret_cast<uint8_t *>(
      (reinterpret_cast<uintptr_t>(rawSmem) + 1023) & ~uintptr_t(1023));
  const uint32_t base = smemAddr(smem);
  const uint32_t full = base + kOffBar, empty = full + 8 * kStages;
  // The warp index through a shuffle, so that ptxas sees the roles' branch
  // as warp-uniform (otherwise it serializes the wgmma: C7518).
  const int warp = __shfl_sync(0xffffffff, int(threadIdx.x) / 32, 0);
  const int lane = threadIdx.x % 32;
  const int head = blockIdx.x / 2, tile = blockIdx.x % 2;
  const int b = head / args.heads, h = head % args.heads;
  const int rowBase = b * args.tokens;

  if (threadIdx.x == 0) {
    for (int s = 0; s < kStages; ++s) {
      mbarInit(full + 8 * s, 1);
      mbarInit(empty + 8 * s, 4);
    }
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  __syncthreads();

  if (warp == 4) { // producer
    if (lane == 0) {
      for (int c = 0; c < args.chunks; ++c) {
        const int s = c % kStages;
        if (c >= kStages)
          mbarWait(empty + 8 * s, ((c / kStages) - 1) & 1);
        const uint32_t st = base + s * kStageBytes, bar = full + 8 * s;
        mbarExpectTx(bar, kStageTx);
        const int row = rowBase + c * kChunk;
        tmaLoad(st + kOffK, &mapK, h * kKey, row, bar);
        tmaLoad(st + kOffK + 8192, &mapK, h * kKey + 64, row, bar);
        tmaLoad(st + kOffQ, &mapQ, h * kKey, row, bar);
        tmaLoad(st + kOffQ + 8192, &mapQ, h * kKey + 64, row, bar);
        tmaLoad(st + kOffV, &mapV, h * kKey + tile * kTile, row, bar);
        const int imageRow = (head * args.chunks + c) * kChunk;
        tmaLoad(st + kOffT, &mapT, 0, imageRow, bar);
        tmaLoad(st + kOffP, &mapP, 0, imageRow, bar);
        bulkLoad(st + kOffG, args.g + size_t(imageRow), 256, bar);
      }
    }
    return;
  }

  // The state warpgroup. Fragment maps: row v = 16 warp + g (+8), column
  // 8 n + 2 t (+1), accumulator tile n fields 4n..4n+3.
  const int g = lane / 4, t = lane % 4;
  float s[64];
#pragma unroll
  for (int i = 0; i < 64; ++i)
    s[i] = 0.f;
  float o[32];
#pragma unroll
  for (int i = 0; i < 32; ++i)
    o[i] = 0.f;
  int stageOfO = -1;

  for (int c = 0; c < args.chunks; ++c) {
    const int st = c % kStages;
    const uint32_t stage = base + st * kStageBytes;
    mbarWait(full + 8 * st, (c / kStages) & 1);

    uint32_t sa[32];
#pragma unroll
    for (int ks = 0; ks < 8; ++ks)
#pragma unroll
      for (int q = 0; q < 4; ++q)
        sa[4 * ks + q] = pack(s[8 * ks + 2 * q], s[8 * ks + 2 * q + 1]);

    wgmmaFence();
    float r[32];
#pragma unroll
    for (int ks = 0; ks < 8; ++ks)
      mma64(
          r, &sa[4 * ks],
          descriptor(stage + kOffK + (ks / 4) * 8192 + (ks % 4) * 32, 16, 1024),
          ks > 0);
    wgmmaCommit();

    if (stageOfO >= 0) { // O of the previous chunk, out through staging
      wgmmaWait<1>();
      pin(o);
      const uint32_t buf = base + kOffO + ((c - 1) & 1) * 8192;
      storeReadWait(threadIdx.x == 0);
      asm volatile("bar.sync 1, 128;" ::: "memory");
      stageO(o, buf, warp, lane);
      asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
      asm volatile("bar.sync 1, 128;" ::: "memory");
      tmaStore(&mapO, h * kKey + tile * kTile, rowBase + (c - 1) * kChunk, buf,
               threadIdx.x == 0);
      mbarArriveIf(empty + 8 * stageOfO, lane == 0);
    }

    wgmmaFence();
#pragma unroll
    for (int ks = 0; ks < 8 * kOutputProducts; ++ks)
      mma64(
          o, &sa[4 * ks],
          descriptor(stage + kOffQ + (ks / 4) * 8192 + (ks % 4) * 32, 16, 1024),
          ks > 0);
    wgmmaCommit();

    // exp2(G) for this thread's columns 8n + 2t (+1), and V^T by
    // ldmatrix.trans in the accumulator's map.
    const float *gs =
        reinterpret_cast<const float *>(smem + st * kStageBytes + kOffG);
    const float gLast = gs[63];
    float eg[16], ed[16];
#pragma unroll
    for (int n = 0; n < 8; ++n) {
      const float2 gg = *reinterpret_cast<const float2 *>(gs + 8 * n + 2 * t);
      eg[2 * n] = ex2(gg.x);
      eg[2 * n + 1] = ex2(gg.y);
      ed[2 * n] = ex2(gLast - gg.x);
      ed[2 * n + 1] = ex2(gLast - gg.y);
    }
    uint32_t vt[16];
#pragma unroll
    for (int q = 0; q < 4; ++q) {
      const int m = lane / 8, rr = lane % 8;
      const int n = 2 * q + (m >> 1), hh = m & 1;
      const uint32_t addr = stage + kOffV + swizzled(8 * n + rr, 2 * warp + hh);
      asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 "
                   "{%0, %1, %2, %3}, [%4];"
                   : "=r"(vt[4 * q]), "=r"(vt[4 * q + 1]), "=r"(vt[4 * q + 2]),
                     "=r"(vt[4 * q + 3])
                   : "r"(addr));
    }
    const float decay = ex2(gLast);

    wgmmaWait<1>(); // R^T
    pin(r);
    uint32_t ra[16];
#pragma unroll
    for (int n = 0; n < 8; ++n)
#pragma unroll
      for (int hh = 0; hh < 2; ++hh) {
        const float2 v = unpack(vt[2 * n + hh]);
        const float lo = v.x - eg[2 * n] * r[4 * n + 2 * hh];
        const float hi = v.y - eg[2 * n + 1] * r[4 * n + 2 * hh + 1];
        ra[2 * n + hh] = pack(lo, hi);
      }
    wgmmaFence();
    float u[32];
#pragma unroll
    for (int ks = 0; ks < 4; ++ks)
      mma64(u, &ra[4 * ks], descriptor(stage + kOffT + ks * 32, 16, 1024),
            ks > 0);
    wgmmaCommit();
#pragma unroll
    for (int i = 0; i < 64; ++i)
      s[i] *= decay;
    wgmmaWait<0>(); // U^T and S^T Q^T
    pin(u);
    pin(o);
    uint32_t ua[16], uda[16];
#pragma unroll
    for (int n = 0; n < 8; ++n)
#pragma unroll
      for (int hh = 0; hh < 2; ++hh) {
        const int f = 4 * n + 2 * hh;
        ua[2 * n + hh] = pack(u[f], u[f + 1]);
        uda[2 * n + hh] = pack(u[f] * ed[2 * n], u[f + 1] * ed[2 * n + 1]);
        o[f] *= args.scale * eg[2 * n];
        o[f + 1] *= args.scale * eg[2 * n + 1];
      }
    wgmmaFence();
#pragma unroll
    for (int ks = 0; ks < 4; ++ks)
      mma128t(
          s, &uda[4 * ks],
          descriptor(stage + kOffK + ks * 2048, args.mnLeading, args.mnStride));
    wgmmaCommit();
#pragma unroll
    for (int ks = 0; ks < 4 * kOutputProducts; ++ks)
      mma64(o, &ua[4 * ks], descriptor(stage + kOffP + ks * 32, 16, 1024), 1);
    wgmmaCommit();
    wgmmaWait<1>(); // S^T
    pin(s);
    stageOfO = st;
  }

  if (stageOfO >= 0) {
    wgmmaWait<0>();
    pin(o);
    const int c = args.chunks;
    const uint32_t buf = base + kOffO + ((c - 1) & 1) * 8192;
    storeReadWait(threadIdx.x == 0);
    asm volatile("bar.sync 1, 128;" ::: "memory");
    stageO(o, buf, warp, lane);
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    asm volatile("bar.sync 1, 128;" ::: "memory");
    if (threadIdx.x == 0) {
      tmaStore(&mapO, h * kKey + tile * kTile, rowBase + (c - 1) * kChunk, buf,
               true);
      asm volatile("cp.async.bulk.wait_group 0;" ::: "memory");
    }
  }
  // The final state, S[key][value].
  float *out = args.state + size_t(head) * kKey * kKey;
#pragma unroll
  for (int n = 0; n < 16; ++n)
#pragma unroll
    for (int hh = 0; hh < 2; ++hh)
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        const int v = tile * kTile + 16 * warp + g + 8 * hh;
        const int key = 8 * n + 2 * t + e;
        out[key * kKey + v] = s[4 * n + 2 * hh + e];
      }
}

// ---------------------------------------------------------------- host --

static PFN_cuTensorMapEncodeTiled_v12000 encodeTiled;
static uint32_t mnLeading = 8192, mnStride = 1024;

static CUtensorMap map2d(void *ptr, uint64_t cols, uint64_t rows) {
  CUtensorMap m;
  cuuint64_t dims[2] = {cols, rows};
  cuuint64_t strides[1] = {cols * 2};
  cuuint32_t box[2] = {64, 64};
  cuuint32_t elementStrides[2] = {1, 1};
  CUresult r = encodeTiled(
      &m, CU_TENSOR_MAP_DATA_TYPE_BFLOAT16, 2, ptr, dims, strides, box,
      elementStrides, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_128B,
      CU_TENSOR_MAP_L2_PROMOTION_L2_256B, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  if (r != CUDA_SUCCESS) {
    fprintf(stderr, "cuTensorMapEncodeTiled: %d\n", int(r));
    exit(1);
  }
  return m;
}

static float bf(float x) { return __bfloat162float(__float2bfloat16(x)); }

struct Problem {
  int batch, tokens, heads, chunks;
  std::vector<float> q, k, v, g, beta; // bf16-rounded q, k, v; g cumulated
  std::vector<float> tb, p;            // T diag(beta), scale P (bf16-rounded)
  float scale;
};

// Inputs and the inverse pass's outputs. `exact` computes T and P from k, q,
// beta and g (for the check); otherwise they are bounded random values of
// the same shape (timing only: values do not change the instruction
// stream).
static Problem makeProblem(int batch, int tokens, int heads, bool exact,
                           unsigned seed) {
  Problem pr;
  pr.batch = batch, pr.tokens = tokens, pr.heads = heads;
  pr.chunks = tokens / kChunk;
  pr.scale = 1.f / std::sqrt(float(kKey));
  const size_t n = size_t(batch) * tokens * heads * kKey;
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> unit(0.f, 1.f);
  pr.q.resize(n), pr.k.resize(n), pr.v.resize(n);
  for (size_t i = 0; i < n; i += kKey) { // unit-norm keys and queries
    double nq = 0, nk = 0;
    for (int j = 0; j < kKey; ++j) {
      pr.q[i + j] = normal(rng), pr.k[i + j] = normal(rng);
      pr.v[i + j] = bf(normal(rng));
      nq += pr.q[i + j] * pr.q[i + j], nk += pr.k[i + j] * pr.k[i + j];
    }
    for (int j = 0; j < kKey; ++j) {
      pr.q[i + j] = bf(pr.q[i + j] / std::sqrt(nq));
      pr.k[i + j] = bf(pr.k[i + j] / std::sqrt(nk));
    }
  }
  const int heads_ = batch * heads;
  pr.g.resize(size_t(heads_) * pr.chunks * kChunk);
  pr.beta.resize(pr.g.size());
  pr.tb.assign(pr.g.size() * kChunk, 0.f);
  pr.p.assign(pr.g.size() * kChunk, 0.f);
  for (int hd = 0; hd < heads_; ++hd)
    for (int c = 0; c < pr.chunks; ++c) {
      float *gc = &pr.g[(size_t(hd) * pr.chunks + c) * kChunk];
      float *bc = &pr.beta[(size_t(hd) * pr.chunks + c) * kChunk];
      float acc = 0;
      for (int i = 0; i < kChunk; ++i) {
        acc += -0.1f * unit(rng);
        gc[i] = acc;
        bc[i] = unit(rng);
      }
      float *tc = &pr.tb[(size_t(hd) * pr.chunks + c) * kChunk * kChunk];
      float *pc = &pr.p[(size_t(hd) * pr.chunks + c) * kChunk * kChunk];
      if (!exact) {
        for (int i = 0; i < kChunk; ++i)
          for (int j = 0; j <= i; ++j) {
            tc[i * kChunk + j] = bf(i == j ? bc[j] : 0.02f * normal(rng));
            pc[i * kChunk + j] = bf(0.02f * normal(rng));
          }
        continue;
      }
      const int b = hd / heads, h = hd % heads;
      auto row = [&](const std::vector<float> &x, int i) {
        return &x[((size_t(b) * tokens + c * kChunk + i) * heads + h) * kKey];
      };
      // L = beta_i (k_i . k_j) exp2(G_i - G_j), j < i; T = (I + L)^-1.
      std::vector<double> L(kChunk * kChunk, 0.0), T(kChunk * kChunk, 0.0);
      for (int i = 0; i < kChunk; ++i)
        for (int j = 0; j <= i; ++j) {
          double kk = 0, qk = 0;
          for (int d = 0; d < kKey; ++d) {
            kk += double(row(pr.k, i)[d]) * row(pr.k, j)[d];
            qk += double(row(pr.q, i)[d]) * row(pr.k, j)[d];
          }
          const double decay = std::exp2(double(gc[i]) - gc[j]);
          if (j < i)
            L[i * kChunk + j] = bc[i] * kk * decay;
          pc[i * kChunk + j] = bf(float(pr.scale * qk * decay));
        }
      for (int i = 0; i < kChunk; ++i) // forward substitution, row by row
        for (int j = 0; j <= i; ++j) {
          double x = i == j ? 1.0 : 0.0;
          for (int m = j; m < i; ++m)
            x -= L[i * kChunk + m] * T[m * kChunk + j];
          T[i * kChunk + j] = x;
        }
      for (int i = 0; i < kChunk; ++i)
        for (int j = 0; j <= i; ++j)
          tc[i * kChunk + j] = bf(float(T[i * kChunk + j] * bc[j]));
    }
  return pr;
}

// The chunked recurrence in double from the same rounded inputs.
static void reference(const Problem &pr, std::vector<double> &o,
                      std::vector<double> &state) {
  const int heads_ = pr.batch * pr.heads;
  o.assign(pr.q.size(), 0.0);
  state.assign(size_t(heads_) * kKey * kKey, 0.0);
  std::vector<double> R(kChunk * kKey), U(kChunk * kKey);
  for (int hd = 0; hd < heads_; ++hd) {
    const int b = hd / pr.heads, h = hd % pr.heads;
    double *S = &state[size_t(hd) * kKey * kKey]; // [key][value]
    for (int c = 0; c < pr.chunks; ++c) {
      const float *gc = &pr.g[(size_t(hd) * pr.chunks + c) * kChunk];
      const float *tc = &pr.tb[(size_t(hd) * pr.chunks + c) * kChunk * kChunk];
      const float *pc = &pr.p[(size_t(hd) * pr.chunks + c) * kChunk * kChunk];
      auto at = [&](const std::vector<float> &x, int i) {
        return &x[((size_t(b) * pr.tokens + c * kChunk + i) * pr.heads + h) *
                  kKey];
      };
      for (int i = 0; i < kChunk; ++i)
        for (int vv = 0; vv < kKey; ++vv) {
          double ks = 0;
          for (int d = 0; d < kKey; ++d)
            ks += double(at(pr.k, i)[d]) * S[d * kKey + vv];
          R[i * kKey + vv] = at(pr.v, i)[vv] - std::exp2(double(gc[i])) * ks;
        }
      for (int i = 0; i < kChunk; ++i)
        for (int vv = 0; vv < kKey; ++vv) {
          double x = 0;
          for (int j = 0; j <= i; ++j)
            x += double(tc[i * kChunk + j]) * R[j * kKey + vv];
          U[i * kKey + vv] = x;
        }
      for (int i = 0; i < kChunk; ++i) {
        double *oi =
            &o[((size_t(b) * pr.tokens + c * kChunk + i) * pr.heads + h) *
               kKey];
        for (int vv = 0; vv < kKey; ++vv) {
          double qs = 0, pu = 0;
          for (int d = 0; d < kKey; ++d)
            qs += double(at(pr.q, i)[d]) * S[d * kKey + vv];
          for (int j = 0; j <= i; ++j)
            pu += double(pc[i * kChunk + j]) * U[j * kKey + vv];
          oi[vv] = pr.scale * std::exp2(double(gc[i])) * qs + pu;
        }
      }
      const double gLast = gc[kChunk - 1];
      for (int d = 0; d < kKey; ++d)
        for (int vv = 0; vv < kKey; ++vv) {
          double x = std::exp2(gLast) * S[d * kKey + vv];
          for (int j = 0; j < kChunk; ++j)
            x += double(at(pr.k, j)[d]) * std::exp2(gLast - gc[j]) *
                 U[j * kKey + vv];
          S[d * kKey + vv] = x;
        }
    }
  }
}

struct Device {
  __nv_bfloat16 *q, *k, *v, *tb, *p, *o;
  float *g, *state;
  CUtensorMap mK, mQ, mV, mT, mP, mO;
  Args args;
  int ctas;
};

template <class T> static T *upload(const std::vector<float> &x) {
  std::vector<T> h(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    h[i] = T(x[i]);
  T *d;
  CHECK(cudaMalloc(&d, h.size() * sizeof(T)));
  CHECK(cudaMemcpy(d, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice));
  return d;
}

static Device setup(const Problem &pr) {
  Device d;
  d.q = upload<__nv_bfloat16>(pr.q);
  d.k = upload<__nv_bfloat16>(pr.k);
  d.v = upload<__nv_bfloat16>(pr.v);
  d.tb = upload<__nv_bfloat16>(pr.tb);
  d.p = upload<__nv_bfloat16>(pr.p);
  d.g = upload<float>(pr.g);
  CHECK(cudaMalloc(&d.o, pr.q.size() * 2));
  CHECK(cudaMemset(d.o, 0xff, pr.q.size() * 2)); // poison: NaN
  const int heads_ = pr.batch * pr.heads;
  CHECK(cudaMalloc(&d.state, size_t(heads_) * kKey * kKey * 4));
  const uint64_t cols = uint64_t(pr.heads) * kKey,
                 rows = uint64_t(pr.batch) * pr.tokens;
  const uint64_t imageRows = uint64_t(heads_) * pr.chunks * kChunk;
  d.mK = map2d(d.k, cols, rows), d.mQ = map2d(d.q, cols, rows);
  d.mV = map2d(d.v, cols, rows), d.mO = map2d(d.o, cols, rows);
  d.mT = map2d(d.tb, kChunk, imageRows), d.mP = map2d(d.p, kChunk, imageRows);
  d.args = {d.g,       d.state,  pr.tokens, pr.heads,
            pr.chunks, pr.scale, mnLeading, mnStride};
  d.ctas = heads_ * (kKey / kTile);
  return d;
}

static void launch(const Device &d) {
  loop<<<d.ctas, 160, kSmem>>>(d.mK, d.mQ, d.mV, d.mT, d.mP, d.mO, d.args);
}

static void release(Device &d) {
  for (void *p : {(void *)d.q, (void *)d.k, (void *)d.v, (void *)d.tb,
                  (void *)d.p, (void *)d.o, (void *)d.g, (void *)d.state})
    CHECK(cudaFree(p));
}

int main() {
  cudaDriverEntryPointQueryResult qr;
  CHECK(cudaGetDriverEntryPoint("cuTensorMapEncodeTiled",
                                reinterpret_cast<void **>(&encodeTiled),
                                cudaEnableDefault, &qr));
  CHECK(cudaFuncSetAttribute(loop, cudaFuncAttributeMaxDynamicSharedMemorySize,
                             kSmem));
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0));
  printf("device: %s, %d SMs\n", prop.name, prop.multiProcessorCount);

  bool ok = true;
  auto check = [&] {
    ok = true;
    for (auto [batch, tokens, heads] :
         {std::tuple{1, 64, 1}, std::tuple{1, 512, 2},
          std::tuple{2, 1024, 3}}) {
      Problem pr = makeProblem(batch, tokens, heads, true, 7);
      Device d = setup(pr);
      launch(d);
      CHECK(cudaGetLastError());
      CHECK(cudaDeviceSynchronize());
      std::vector<__nv_bfloat16> o(pr.q.size());
      std::vector<float> state(size_t(batch) * heads * kKey * kKey);
      CHECK(cudaMemcpy(o.data(), d.o, o.size() * 2, cudaMemcpyDeviceToHost));
      CHECK(cudaMemcpy(state.data(), d.state, state.size() * 4,
                       cudaMemcpyDeviceToHost));
      std::vector<double> oRef, sRef;
      reference(pr, oRef, sRef);
      double oErr = 0, oMax = 0, sErr = 0, sMax = 0;
      bool finite = true;
      for (size_t i = 0; i < o.size(); ++i) {
        const double x = __bfloat162float(o[i]);
        finite &= std::isfinite(x);
        oErr = std::max(oErr, std::abs(x - oRef[i]));
        oMax = std::max(oMax, std::abs(oRef[i]));
      }
      for (size_t i = 0; i < state.size(); ++i) {
        finite &= std::isfinite(state[i]);
        sErr = std::max(sErr, std::abs(state[i] - sRef[i]));
        sMax = std::max(sMax, std::abs(sRef[i]));
      }
      const bool pass = finite && oErr <= 2e-2 * oMax && sErr <= 2e-2 * sMax;
      printf("check B%d T%d H%d: O max err %.3e (max %.3e), S max err %.3e "
             "(max %.3e): %s\n",
             batch, tokens, heads, oErr, oMax, sErr, sMax,
             pass ? "ok" : "FAILED");
      ok &= pass;
      release(d);
    }
  };
  check();
  if (!ok) {
    std::swap(mnLeading, mnStride);
    printf("again with the MN-major strides swapped (%u, %u)\n", mnLeading,
           mnStride);
    check();
  }

  for (auto [batch, tokens, heads] :
       {std::tuple{1, 8192, 16}, std::tuple{8, 4096, 16},
        std::tuple{1, 32768, 32}}) {
    Problem pr = makeProblem(batch, tokens, heads, false, 11);
    Device d = setup(pr);
    cudaEvent_t e0, e1;
    CHECK(cudaEventCreate(&e0));
    CHECK(cudaEventCreate(&e1));
    for (int i = 0; i < 3; ++i)
      launch(d);
    CHECK(cudaDeviceSynchronize());
    std::vector<float> ms;
    for (int i = 0; i < 20; ++i) {
      CHECK(cudaEventRecord(e0));
      launch(d);
      CHECK(cudaEventRecord(e1));
      CHECK(cudaEventSynchronize(e1));
      float t;
      CHECK(cudaEventElapsedTime(&t, e0, e1));
      ms.push_back(t);
    }
    CHECK(cudaGetLastError());
    std::sort(ms.begin(), ms.end());
    const double us = ms[ms.size() / 2] * 1e3;
    const int waves =
        (d.ctas + prop.multiProcessorCount - 1) / prop.multiProcessorCount;
    printf("time B%d T%d H%d: %d CTAs, loop %.1f us median, %.3f us a chunk "
           "(%d wave%s)\n",
           batch, tokens, heads, d.ctas, us, us / (pr.chunks * waves), waves,
           waves > 1 ? "s" : "");
    release(d);
  }
  return ok ? 0 : 1;
}
