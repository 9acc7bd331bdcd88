// Batched sgemm over OpenBLAS, the fused bias/activation epilogue, and the shared scratch buffer.
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels.h"

extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
}

namespace kmodel {

namespace {

// Threads for large products (OpenBLAS's own default: all cores, or OPENBLAS_NUM_THREADS) and the count now set.
int g_maxThreads = 0;
int g_current = 0;

// Skinny products (any side < 32, e.g. a first-layer conv with K = 3x3x1 = 9, or its filter gradient with
// M = 9) are memory-bound: measured 2-5x slower on 2 threads than on 1, so they run on one.
void ChooseThreads(int64_t m, int64_t n, int64_t k) {
  if (g_maxThreads == 0) g_maxThreads = g_current = openblas_get_num_threads();
  const int want = (m < 32 || n < 32 || k < 32) ? 1 : g_maxThreads;
  if (want != g_current) {
    openblas_set_num_threads(want);
    g_current = want;
  }
}

}  // namespace

int MaxThreads() {
  if (g_maxThreads == 0) g_maxThreads = g_current = openblas_get_num_threads();
  return g_maxThreads;
}

void SetMaxThreads(int n) {
  g_maxThreads = n;
  openblas_set_num_threads(n);
  g_current = n;
}

void UseOneBlasThread() {
  MaxThreads();
  if (g_current != 1) {
    openblas_set_num_threads(1);
    g_current = 1;
  }
}

void Gemm(const float* a, const float* b, float* c, int64_t batch, int64_t m, int64_t n, int64_t k, bool transA,
          bool transB, int64_t strideA, int64_t strideB, int64_t strideC, float beta, bool serial) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    for (int64_t i = 0; i < batch; ++i) {
      float* out = c + i * strideC;
      for (int64_t j = 0; j < m * n; ++j) out[j] = beta == 0.0f ? 0.0f : out[j] * beta;
    }
    return;
  }
  if (!serial) ChooseThreads(m, n, k);
  const blasint lda = static_cast<blasint>(transA ? m : k);
  const blasint ldb = static_cast<blasint>(transB ? k : n);
  for (int64_t i = 0; i < batch; ++i) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), 1.0f, a + i * strideA,
                lda, b + i * strideB, ldb, beta, c + i * strideC, static_cast<blasint>(n));
  }
}

namespace {

template <typename F>
void Epilogue(float* y, const float* bias, int64_t rows, int64_t cols, F act) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y + r * cols;
    if (bias != nullptr) {
      for (int64_t j = 0; j < cols; ++j) row[j] = act(row[j] + bias[j]);
    } else {
      for (int64_t j = 0; j < cols; ++j) row[j] = act(row[j]);
    }
  }
}

}  // namespace

void BiasActivation(float* y, const float* bias, int64_t rows, int64_t cols, int32_t act, float alpha) {
  switch (act) {
    case kRelu:
      Epilogue(y, bias, rows, cols, [](float v) { return v < 0.0f ? 0.0f : v; });
      break;
    case kRelu6:
      Epilogue(y, bias, rows, cols, [](float v) { return std::min(std::max(v, 0.0f), 6.0f); });
      break;
    case kLeakyRelu:
      Epilogue(y, bias, rows, cols, [alpha](float v) { return v < 0.0f ? alpha * v : v; });
      break;
    case kSigmoid:
      Epilogue(y, bias, rows, cols, [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
      break;
    case kElu:
      Epilogue(y, bias, rows, cols, [](float v) { return v < 0.0f ? std::expm1(v) : v; });
      break;
    default:
      if (bias != nullptr) Epilogue(y, bias, rows, cols, [](float v) { return v; });
      break;
  }
}

float* Scratch(size_t floats) {
  static std::vector<float> buffer;
  if (buffer.size() < floats) buffer.resize(floats);
  return buffer.data();
}

}  // namespace kmodel
