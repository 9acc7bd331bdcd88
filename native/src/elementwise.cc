// Memory-bound kernels around the products. Written branch-free so GCC vectorises them: with random signs a
// JS `v > 0 ? v : 0` loop mispredicts every other element (~10 ns/element measured), the vector loop does not.
#include <cstring>

#include "kernels.h"

namespace kmodel {

void Relu(const float* x, float* out, int64_t n) {
  // max(0, x) with NaN kept and -0 turned into +0, the results of JS Math.max(0, x).
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i];
    out[i] = (v > 0.0f || v != v) ? v : 0.0f;
  }
}

void Step(const float* x, float* out, int64_t n, float alpha) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i];
    out[i] = v != v ? v : (v > 0.0f ? 1.0f : alpha);
  }
}

namespace {

template <typename F>
void Apply(const float* full, const float* part, float* out, int64_t n, int64_t m, F op) {
  if (m == n) {
    for (int64_t i = 0; i < n; ++i) out[i] = op(full[i], part[i]);
  } else if (m == 1) {
    const float v = part[0];
    for (int64_t i = 0; i < n; ++i) out[i] = op(full[i], v);
  } else {
    for (int64_t base = 0; base < n; base += m) {
      for (int64_t j = 0; j < m; ++j) out[base + j] = op(full[base + j], part[j]);
    }
  }
}

}  // namespace

void Binary(int32_t op, const float* full, const float* part, float* out, int64_t n, int64_t m, bool swap) {
  switch (op) {
    case kAdd:
      Apply(full, part, out, n, m, [](float a, float b) { return a + b; });
      break;
    case kMul:
      Apply(full, part, out, n, m, [](float a, float b) { return a * b; });
      break;
    default:
      if (swap) {
        Apply(full, part, out, n, m, [](float a, float b) { return b - a; });
      } else {
        Apply(full, part, out, n, m, [](float a, float b) { return a - b; });
      }
  }
}

void SumMiddle(const float* x, float* out, int64_t outer, int64_t reduced, int64_t inner) {
  double* acc = reinterpret_cast<double*>(Scratch(static_cast<size_t>(inner) * 2));
  for (int64_t o = 0; o < outer; ++o) {
    if (inner == 1) {
      double s = 0;
      const float* row = x + o * reduced;
      for (int64_t r = 0; r < reduced; ++r) s += row[r];
      out[o] = static_cast<float>(s);
      continue;
    }
    std::memset(acc, 0, sizeof(double) * inner);
    for (int64_t r = 0; r < reduced; ++r) {
      const float* row = x + (o * reduced + r) * inner;
      for (int64_t j = 0; j < inner; ++j) acc[j] += row[j];
    }
    for (int64_t j = 0; j < inner; ++j) out[o * inner + j] = static_cast<float>(acc[j]);
  }
}

}  // namespace kmodel
