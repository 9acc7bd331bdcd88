// Kernels of the kmodel BLAS addon. Every tensor is float32, row-major, NHWC for images and
// [filterHeight, filterWidth, inChannels, outChannels (or channelMultiplier)] for filters, the layouts tfjs uses.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kmodel {

// Geometry of one 2-D convolution, as tfjs' computeConv2DInfo reports it (padding already resolved).
struct ConvGeom {
  int64_t batch, inH, inW, inC;
  int64_t outH, outW, outC;  // outC = inC * multiplier for depthwise
  int64_t kH, kW;
  int64_t strideH, strideW, dilH, dilW;
  int64_t padTop, padLeft;
};

// Number of int32 fields a geometry array carries, in the order of ConvGeom.
constexpr int kGeomFields = 15;

// Fused epilogues applied after a product: y = act(y + bias).
enum Activation : int32_t { kLinear = 0, kRelu = 1, kRelu6 = 2, kLeakyRelu = 3, kSigmoid = 4, kElu = 5 };

// C[b] = op(A[b]) * op(B[b]) (+ beta * C[b]) for b < batch; strides in elements, 0 broadcasts one matrix.
// `serial`: leave OpenBLAS's thread count alone (the caller runs several products on its own threads and has
// set it to one with UseOneBlasThread); otherwise it is chosen per product.
void Gemm(const float* a, const float* b, float* c, int64_t batch, int64_t m, int64_t n, int64_t k, bool transA,
          bool transB, int64_t strideA, int64_t strideB, int64_t strideC, float beta, bool serial = false);

// Sets OpenBLAS to one thread until the next non-serial Gemm chooses again. Call from the JS thread only.
void UseOneBlasThread();

// Sets the OpenBLAS thread count used for large products (skinny ones always run on one thread).
void SetMaxThreads(int n);
int MaxThreads();

// y[r, j] = act(y[r, j] + bias[j]) in place; bias may be null.
void BiasActivation(float* y, const float* bias, int64_t rows, int64_t cols, int32_t act, float alpha);

void Conv2D(const float* x, const float* w, float* y, const ConvGeom& g);
void Conv2DBackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g);
void Conv2DBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g);

void Depthwise(const float* x, const float* w, float* y, const ConvGeom& g);
void DepthwiseBackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g);
void DepthwiseBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g);

// Max pooling (NHWC, padding resolved like convolution). Grad routes dy to the first maximum of each window,
// recomputed from x, as tfjs' cpu backend does.
void MaxPool(const float* x, float* y, const ConvGeom& g);
void MaxPoolGrad(const float* x, const float* dy, float* dx, const ConvGeom& g);

// Elementwise kernels (float32, n elements). Binary: out = full op part, part repeated every m elements
// (m == n: same shape; m == 1: a scalar); swap computes part - full for kSub.
enum BinaryOp : int32_t { kAdd = 0, kSub = 1, kMul = 2 };
void Relu(const float* x, float* out, int64_t n);
void Step(const float* x, float* out, int64_t n, float alpha);
void Binary(int32_t op, const float* full, const float* part, float* out, int64_t n, int64_t m, bool swap);
// out[o, j] = sum_r x[o, r, j], accumulated in double.
void SumMiddle(const float* x, float* out, int64_t outer, int64_t reduced, int64_t inner);

// A scratch buffer reused between calls (the addon is only called from the JS thread).
float* Scratch(size_t floats);

}  // namespace kmodel
