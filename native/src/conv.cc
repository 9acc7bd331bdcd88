// Conv2D and its two gradients as im2col + one OpenBLAS sgemm per chunk of images (NHWC).
// Row r of the column matrix is one output pixel (n, oh, ow); column j is (kh, kw, ci), which is exactly the
// flattened filter layout [kH, kW, inC, outC], so y = cols * W, dW = cols^T * dy and dcols = dy * W^T.
#include <algorithm>
#include <cstring>

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

}  // namespace

void Conv2D(const float* x, const float* w, float* y, const ConvGeom& g) {
  const int64_t pixels = g.outH * g.outW;
  const int64_t patch = PatchSize(g);
  if (IsPointwise(g)) {
    Gemm(x, w, y, 1, g.batch * pixels, g.outC, patch, false, false, 0, 0, 0, 0.0f);
    return;
  }
  const int64_t chunk = ImagesPerChunk(g);
  float* cols = Scratch(static_cast<size_t>(chunk * pixels * patch));
  for (int64_t n0 = 0; n0 < g.batch; n0 += chunk) {
    const int64_t count = std::min(chunk, g.batch - n0);
    Im2Col(x, cols, g, n0, count);
    Gemm(cols, w, y + n0 * pixels * g.outC, 1, count * pixels, g.outC, patch, false, false, 0, 0, 0, 0.0f);
  }
}

void Conv2DBackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  const int64_t pixels = g.outH * g.outW;
  const int64_t patch = PatchSize(g);
  if (IsPointwise(g)) {
    Gemm(dy, w, dx, 1, g.batch * pixels, patch, g.outC, false, true, 0, 0, 0, 0.0f);
    return;
  }
  std::memset(dx, 0, sizeof(float) * g.batch * g.inH * g.inW * g.inC);
  const int64_t chunk = ImagesPerChunk(g);
  float* cols = Scratch(static_cast<size_t>(chunk * pixels * patch));
  for (int64_t n0 = 0; n0 < g.batch; n0 += chunk) {
    const int64_t count = std::min(chunk, g.batch - n0);
    Gemm(dy + n0 * pixels * g.outC, w, cols, 1, count * pixels, patch, g.outC, false, true, 0, 0, 0, 0.0f);
    Col2Im(cols, dx, g, n0, count);
  }
}

void Conv2DBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  const int64_t pixels = g.outH * g.outW;
  const int64_t patch = PatchSize(g);
  if (IsPointwise(g)) {
    Gemm(x, dy, dw, 1, patch, g.outC, g.batch * pixels, true, false, 0, 0, 0, 0.0f);
    return;
  }
  const int64_t chunk = ImagesPerChunk(g);
  float* cols = Scratch(static_cast<size_t>(chunk * pixels * patch));
  for (int64_t n0 = 0; n0 < g.batch; n0 += chunk) {
    const int64_t count = std::min(chunk, g.batch - n0);
    Im2Col(x, cols, g, n0, count);
    Gemm(cols, dy + n0 * pixels * g.outC, dw, 1, patch, g.outC, count * pixels, true, false, 0, 0, 0,
         n0 == 0 ? 0.0f : 1.0f);
  }
}

}  // namespace kmodel
