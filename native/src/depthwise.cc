// Depthwise convolution (NHWC, filter [kH, kW, inC, multiplier]) and its two gradients, as direct loops.
// Output channel o = ci * multiplier + q reads input channel ci with filter column (ci, q), so for one input
// pixel the inner loop runs over o = 0..outC-1 contiguously: x[..., o / multiplier] * w[kh, kw, o].
// That makes the channel loop the innermost, unit-stride one, which the compiler vectorises.
#include <cstring>

#include "kernels.h"

namespace kmodel {
namespace {

inline int64_t InRow(const ConvGeom& g, int64_t oh, int64_t kh) { return oh * g.strideH - g.padTop + kh * g.dilH; }
inline int64_t InCol(const ConvGeom& g, int64_t ow, int64_t kw) { return ow * g.strideW - g.padLeft + kw * g.dilW; }

}  // namespace

void Depthwise(const float* x, const float* w, float* y, const ConvGeom& g) {
  const int64_t mult = g.outC / g.inC;
  for (int64_t n = 0; n < g.batch; ++n) {
    const float* image = x + n * g.inH * g.inW * g.inC;
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        float* out = y + ((n * g.outH + oh) * g.outW + ow) * g.outC;
        std::memset(out, 0, sizeof(float) * g.outC);
        for (int64_t kh = 0; kh < g.kH; ++kh) {
          const int64_t ih = InRow(g, oh, kh);
          if (ih < 0 || ih >= g.inH) continue;
          for (int64_t kw = 0; kw < g.kW; ++kw) {
            const int64_t iw = InCol(g, ow, kw);
            if (iw < 0 || iw >= g.inW) continue;
            const float* in = image + (ih * g.inW + iw) * g.inC;
            const float* filter = w + (kh * g.kW + kw) * g.outC;
            if (mult == 1) {
              for (int64_t o = 0; o < g.outC; ++o) out[o] += in[o] * filter[o];
            } else {
              for (int64_t o = 0; o < g.outC; ++o) out[o] += in[o / mult] * filter[o];
            }
          }
        }
      }
    }
  }
}

void DepthwiseBackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  const int64_t mult = g.outC / g.inC;
  std::memset(dx, 0, sizeof(float) * g.batch * g.inH * g.inW * g.inC);
  for (int64_t n = 0; n < g.batch; ++n) {
    float* image = dx + n * g.inH * g.inW * g.inC;
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        const float* grad = dy + ((n * g.outH + oh) * g.outW + ow) * g.outC;
        for (int64_t kh = 0; kh < g.kH; ++kh) {
          const int64_t ih = InRow(g, oh, kh);
          if (ih < 0 || ih >= g.inH) continue;
          for (int64_t kw = 0; kw < g.kW; ++kw) {
            const int64_t iw = InCol(g, ow, kw);
            if (iw < 0 || iw >= g.inW) continue;
            float* in = image + (ih * g.inW + iw) * g.inC;
            const float* filter = w + (kh * g.kW + kw) * g.outC;
            if (mult == 1) {
              for (int64_t o = 0; o < g.outC; ++o) in[o] += grad[o] * filter[o];
            } else {
              for (int64_t o = 0; o < g.outC; ++o) in[o / mult] += grad[o] * filter[o];
            }
          }
        }
      }
    }
  }
}

void DepthwiseBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  const int64_t mult = g.outC / g.inC;
  std::memset(dw, 0, sizeof(float) * g.kH * g.kW * g.outC);
  for (int64_t n = 0; n < g.batch; ++n) {
    const float* image = x + n * g.inH * g.inW * g.inC;
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        const float* grad = dy + ((n * g.outH + oh) * g.outW + ow) * g.outC;
        for (int64_t kh = 0; kh < g.kH; ++kh) {
          const int64_t ih = InRow(g, oh, kh);
          if (ih < 0 || ih >= g.inH) continue;
          for (int64_t kw = 0; kw < g.kW; ++kw) {
            const int64_t iw = InCol(g, ow, kw);
            if (iw < 0 || iw >= g.inW) continue;
            const float* in = image + (ih * g.inW + iw) * g.inC;
            float* filter = dw + (kh * g.kW + kw) * g.outC;
            if (mult == 1) {
              for (int64_t o = 0; o < g.outC; ++o) filter[o] += in[o] * grad[o];
            } else {
              for (int64_t o = 0; o < g.outC; ++o) filter[o] += in[o / mult] * grad[o];
            }
          }
        }
      }
    }
  }
}

}  // namespace kmodel
