// Conv2D and its two gradients as im2col + one OpenBLAS sgemm per chunk of images (NHWC).
// Row r of the column matrix is one output pixel (n, oh, ow); column j is (kh, kw, ci), which is exactly the
// flattened filter layout [kH, kW, inC, outC], so y = cols * W, dW = cols^T * dy and dcols = dy * W^T.
// With more than one thread allowed, the images are split into one contiguous range per thread, each thread
// running im2col and single-threaded sgemms on its own column buffer: these products (M in the thousands, N
// and K at most a few hundred) measured 1.1-2.2x slower with OpenBLAS's own threads than on one thread.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "kernels.h"

namespace kmodel {
namespace {

// Upper bound on the column buffer (1 MiB of floats): images are processed in chunks so the columns of one
// chunk stay in L2 between im2col and the sgemm that reads them (measured: faster than one whole-batch chunk).
constexpr int64_t kMaxColFloats = int64_t{1} << 18;

int64_t PatchSize(const ConvGeom& g) { return g.kH * g.kW * g.inC; }

// True when the column matrix is the input itself (1x1 filter, stride 1, no padding).
bool IsPointwise(const ConvGeom& g) {
  return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 &&
         g.outH == g.inH && g.outW == g.inW;
}

int64_t ImagesPerChunk(const ConvGeom& g) {
  const int64_t perImage = g.outH * g.outW * PatchSize(g);
  return std::max<int64_t>(1, std::min<int64_t>(g.batch, kMaxColFloats / std::max<int64_t>(perImage, 1)));
}

inline void CopyChannels(float* dst, const float* src, int64_t c) {
  if (c == 1) {
    *dst = *src;
  } else {
    std::memcpy(dst, src, sizeof(float) * c);
  }
}

// Fills cols for images [n0, n0 + count).
void Im2Col(const float* x, float* cols, const ConvGeom& g, int64_t n0, int64_t count) {
  const int64_t c = g.inC;
  const int64_t patch = PatchSize(g);
  for (int64_t n = n0; n < n0 + count; ++n) {
    const float* image = x + n * g.inH * g.inW * c;
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        float* row = cols + (((n - n0) * g.outH + oh) * g.outW + ow) * patch;
        for (int64_t kh = 0; kh < g.kH; ++kh) {
          const int64_t ih = oh * g.strideH - g.padTop + kh * g.dilH;
          float* dst = row + kh * g.kW * c;
          if (ih < 0 || ih >= g.inH) {
            std::memset(dst, 0, sizeof(float) * g.kW * c);
            continue;
          }
          for (int64_t kw = 0; kw < g.kW; ++kw) {
            const int64_t iw = ow * g.strideW - g.padLeft + kw * g.dilW;
            if (iw < 0 || iw >= g.inW) {
              std::memset(dst + kw * c, 0, sizeof(float) * c);
            } else {
              CopyChannels(dst + kw * c, image + (ih * g.inW + iw) * c, c);
            }
          }
        }
      }
    }
  }
}

// Adds cols back into dx (the adjoint of Im2Col) for images [n0, n0 + count).
void Col2Im(const float* cols, float* dx, const ConvGeom& g, int64_t n0, int64_t count) {
  const int64_t c = g.inC;
  const int64_t patch = PatchSize(g);
  for (int64_t n = n0; n < n0 + count; ++n) {
    float* image = dx + n * g.inH * g.inW * c;
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        const float* row = cols + (((n - n0) * g.outH + oh) * g.outW + ow) * patch;
        for (int64_t kh = 0; kh < g.kH; ++kh) {
          const int64_t ih = oh * g.strideH - g.padTop + kh * g.dilH;
          if (ih < 0 || ih >= g.inH) continue;
          for (int64_t kw = 0; kw < g.kW; ++kw) {
            const int64_t iw = ow * g.strideW - g.padLeft + kw * g.dilW;
            if (iw < 0 || iw >= g.inW) continue;
            const float* src = row + (kh * g.kW + kw) * c;
            float* dst = image + (ih * g.inW + iw) * c;
            for (int64_t ci = 0; ci < c; ++ci) dst[ci] += src[ci];
          }
        }
      }
    }
  }
}

// Below this many multiply-adds per call a second thread costs more than it saves.
constexpr int64_t kParallelFrom = int64_t{1} << 22;

// One column buffer per worker slot, kept between calls (fresh pages cost more than the im2col itself).
float* SlotScratch(int slot, size_t floats) {
  static std::vector<std::vector<float>> buffers;
  if (slot == 0) return Scratch(floats);
  if (buffers.size() < static_cast<size_t>(slot)) buffers.resize(static_cast<size_t>(slot));
  std::vector<float>& buffer = buffers[static_cast<size_t>(slot) - 1];
  if (buffer.size() < floats) buffer.resize(floats);
  return buffer.data();
}

// Threads to split `g`'s images over: 1 when OpenBLAS may use one thread, the batch is too small or the work
// too little; the caller then runs the whole batch with OpenBLAS deciding.
int RangeThreads(const ConvGeom& g) {
  const int64_t work = g.batch * g.outH * g.outW * PatchSize(g) * g.outC;
  const int want = std::min<int64_t>(MaxThreads(), g.batch);
  return work < kParallelFrom ? 1 : std::max(1, want);
}

// Runs body(slot, n0, n1) over the batch in chunks of ImagesPerChunk images that `threads` threads claim in
// turn (slot 0 is the calling thread), so a thread the OS deschedules on a busy machine delays the call by at
// most one chunk. OpenBLAS is set to one thread for the duration (its own threads would compete with these).
template <typename Body>
void ForImageRanges(const ConvGeom& g, int threads, Body body) {
  UseOneBlasThread();
  const int64_t chunk = ImagesPerChunk(g);
  std::atomic<int64_t> next{0};
  auto run = [&](int slot) {
    for (int64_t n0 = next.fetch_add(chunk); n0 < g.batch; n0 = next.fetch_add(chunk)) body(slot, n0, std::min(g.batch, n0 + chunk));
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back(run, t);
  run(0);
  for (std::thread& w : workers) w.join();
}

void ForwardRange(const float* x, const float* w, float* y, const ConvGeom& g, int slot, int64_t n0, int64_t n1, bool serial) {
  const int64_t pixels = g.outH * g.outW;
  const int64_t patch = PatchSize(g);
  const int64_t chunk = ImagesPerChunk(g);
  float* cols = SlotScratch(slot, static_cast<size_t>(chunk * pixels * patch));
  for (int64_t n = n0; n < n1; n += chunk) {
    const int64_t count = std::min(chunk, n1 - n);
    Im2Col(x, cols, g, n, count);
    Gemm(cols, w, y + n * pixels * g.outC, 1, count * pixels, g.outC, patch, false, false, 0, 0, 0, 0.0f, serial);
  }
}

void BackpropInputRange(const float* dy, const float* w, float* dx, const ConvGeom& g, int slot, int64_t n0, int64_t n1, bool serial) {
  const int64_t pixels = g.outH * g.outW;
  const int64_t patch = PatchSize(g);
  const int64_t chunk = ImagesPerChunk(g);
  const int64_t image = g.inH * g.inW * g.inC;
  std::memset(dx + n0 * image, 0, sizeof(float) * (n1 - n0) * image);
  float* cols = SlotScratch(slot, static_cast<size_t>(chunk * pixels * patch));
  for (int64_t n = n0; n < n1; n += chunk) {
    const int64_t count = std::min(chunk, n1 - n);
    Gemm(dy + n * pixels * g.outC, w, cols, 1, count * pixels, patch, g.outC, false, true, 0, 0, 0, 0.0f, serial);
    Col2Im(cols, dx, g, n, count);
  }
}

// dw = (or +=, when `accumulate`) the filter gradient of images [n0, n1).
void BackpropFilterRange(const float* x, const float* dy, float* dw, const ConvGeom& g, int slot, int64_t n0, int64_t n1, bool serial,
                         bool accumulate) {
  const int64_t pixels = g.outH * g.outW;
  const int64_t patch = PatchSize(g);
  const int64_t chunk = ImagesPerChunk(g);
  float* cols = SlotScratch(slot, static_cast<size_t>(chunk * pixels * patch));
  for (int64_t n = n0; n < n1; n += chunk) {
    const int64_t count = std::min(chunk, n1 - n);
    Im2Col(x, cols, g, n, count);
    Gemm(cols, dy + n * pixels * g.outC, dw, 1, patch, g.outC, count * pixels, true, false, 0, 0, 0,
         n == n0 && !accumulate ? 0.0f : 1.0f, serial);
  }
}

}  // namespace

void Conv2D(const float* x, const float* w, float* y, const ConvGeom& g) {
  if (IsPointwise(g)) {
    Gemm(x, w, y, 1, g.batch * g.outH * g.outW, g.outC, PatchSize(g), false, false, 0, 0, 0, 0.0f);
    return;
  }
  const int threads = RangeThreads(g);
  if (threads == 1) return ForwardRange(x, w, y, g, 0, 0, g.batch, false);
  ForImageRanges(g, threads, [&](int slot, int64_t n0, int64_t n1) { ForwardRange(x, w, y, g, slot, n0, n1, true); });
}

void Conv2DBackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  if (IsPointwise(g)) {
    Gemm(dy, w, dx, 1, g.batch * g.outH * g.outW, PatchSize(g), g.outC, false, true, 0, 0, 0, 0.0f);
    return;
  }
  const int threads = RangeThreads(g);
  if (threads == 1) return BackpropInputRange(dy, w, dx, g, 0, 0, g.batch, false);
  ForImageRanges(g, threads, [&](int slot, int64_t n0, int64_t n1) { BackpropInputRange(dy, w, dx, g, slot, n0, n1, true); });
}

void Conv2DBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  const int64_t patch = PatchSize(g);
  if (IsPointwise(g)) {
    Gemm(x, dy, dw, 1, patch, g.outC, g.batch * g.outH * g.outW, true, false, 0, 0, 0, 0.0f);
    return;
  }
  const int threads = RangeThreads(g);
  if (threads == 1) return BackpropFilterRange(x, dy, dw, g, 0, 0, g.batch, false, false);
  // Each slot adds its chunks' gradients into its own zeroed buffer (slot 0: dw itself); then dw sums them.
  const int64_t size = patch * g.outC;
  static std::vector<float> partials;
  partials.assign(static_cast<size_t>(size * (threads - 1)), 0.0f);
  std::memset(dw, 0, sizeof(float) * size);
  ForImageRanges(g, threads, [&](int slot, int64_t n0, int64_t n1) {
    float* out = slot == 0 ? dw : partials.data() + (slot - 1) * size;
    BackpropFilterRange(x, dy, out, g, slot, n0, n1, true, true);
  });
  for (int t = 1; t < threads; ++t) {
    const float* part = partials.data() + (t - 1) * size;
    for (int64_t i = 0; i < size; ++i) dw[i] += part[i];
  }
}

}  // namespace kmodel
