// Max pooling (NHWC) and its gradient. A window's maximum is the first strictly greatest value in (kh, kw)
// scan order, and the gradient of each output goes to that one input, which is the rule tfjs' cpu backend uses.
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.h"

namespace kmodel {

void MaxPool(const float* x, float* y, const ConvGeom& g) {
  const int64_t c = g.inC;
  const float lowest = -std::numeric_limits<float>::infinity();
  for (int64_t n = 0; n < g.batch; ++n) {
    const float* image = x + n * g.inH * g.inW * c;
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        float* out = y + ((n * g.outH + oh) * g.outW + ow) * c;
        for (int64_t ci = 0; ci < c; ++ci) out[ci] = lowest;
        for (int64_t kh = 0; kh < g.kH; ++kh) {
          const int64_t ih = oh * g.strideH - g.padTop + kh * g.dilH;
          if (ih < 0 || ih >= g.inH) continue;
          for (int64_t kw = 0; kw < g.kW; ++kw) {
            const int64_t iw = ow * g.strideW - g.padLeft + kw * g.dilW;
            if (iw < 0 || iw >= g.inW) continue;
            const float* in = image + (ih * g.inW + iw) * c;
            for (int64_t ci = 0; ci < c; ++ci) out[ci] = in[ci] > out[ci] ? in[ci] : out[ci];
          }
        }
      }
    }
  }
}

void MaxPoolGrad(const float* x, const float* dy, float* dx, const ConvGeom& g) {
  // Per output pixel, all channels at once: the window's first strict maximum per channel (value and input
  // pixel, -1 while none beats -inf), kept in two small arrays updated branch-free so the loop vectorises;
  // then dy is added at those pixels.
  const int64_t c = g.inC;
  const float lowest = -std::numeric_limits<float>::infinity();
  std::memset(dx, 0, sizeof(float) * g.batch * g.inH * g.inW * c);
  static std::vector<float> bestBuffer;
  static std::vector<int32_t> atBuffer;
  bestBuffer.resize(static_cast<size_t>(c));
  atBuffer.resize(static_cast<size_t>(c));
  float* __restrict best = bestBuffer.data();
  int32_t* __restrict at = atBuffer.data();
  for (int64_t n = 0; n < g.batch; ++n) {
    const float* image = x + n * g.inH * g.inW * c;
    float* grad = dx + n * g.inH * g.inW * c;
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        for (int64_t ci = 0; ci < c; ++ci) {
          best[ci] = lowest;
          at[ci] = -1;
        }
        for (int64_t kh = 0; kh < g.kH; ++kh) {
          const int64_t ih = oh * g.strideH - g.padTop + kh * g.dilH;
          if (ih < 0 || ih >= g.inH) continue;
          for (int64_t kw = 0; kw < g.kW; ++kw) {
            const int64_t iw = ow * g.strideW - g.padLeft + kw * g.dilW;
            if (iw < 0 || iw >= g.inW) continue;
            const int32_t pixel = static_cast<int32_t>(ih * g.inW + iw);
            const float* __restrict in = image + pixel * c;
            for (int64_t ci = 0; ci < c; ++ci) {
              const float v = in[ci];
              const float b = best[ci];
              const int32_t mask = -static_cast<int32_t>(v > b);
              best[ci] = v > b ? v : b;
              at[ci] = (pixel & mask) | (at[ci] & ~mask);
            }
          }
        }
        const float* d = dy + ((n * g.outH + oh) * g.outW + ow) * c;
        for (int64_t ci = 0; ci < c; ++ci) {
          if (at[ci] >= 0) grad[static_cast<int64_t>(at[ci]) * c + ci] += d[ci];
        }
      }
    }
  }
}

}  // namespace kmodel
