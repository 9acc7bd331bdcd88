// N-API surface of the kmodel BLAS addon (plain node_api.h, ABI-stable across Node versions).
// Every function is synchronous and writes into output Float32Arrays the caller allocated; every length is
// checked against the geometry before any pointer is used, so bad arguments throw instead of corrupting memory.
#include <cblas.h>
#include <node_api.h>

#include <malloc.h>

#include <cstdio>
#include <string>

#include "kernels.h"

extern "C" {
char* openblas_get_config(void);
}

namespace {

using kmodel::ConvGeom;

struct Args {
  napi_env env;
  napi_value argv[14] = {};
  size_t argc = 14;
  bool ok = true;
};

bool Fail(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return false;
}

Args Parse(napi_env env, napi_callback_info info, size_t want) {
  Args a;
  a.env = env;
  napi_get_cb_info(env, info, &a.argc, a.argv, nullptr, nullptr);
  if (a.argc < want) a.ok = Fail(env, "kmodel-blas: too few arguments");
  return a;
}

// A Float32Array argument with at least `need` elements; null (with an exception pending) otherwise.
float* Floats(Args& a, size_t i, int64_t need) {
  if (!a.ok) return nullptr;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(a.env, a.argv[i], &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_float32_array) {
    a.ok = Fail(a.env, "kmodel-blas: expected a Float32Array");
    return nullptr;
  }
  if (need < 0 || static_cast<int64_t>(length) < need) {
    a.ok = Fail(a.env, "kmodel-blas: Float32Array shorter than the shape needs");
    return nullptr;
  }
  return static_cast<float*>(data);
}

double Number(Args& a, size_t i) {
  double v = 0;
  if (!a.ok || napi_get_value_double(a.env, a.argv[i], &v) == napi_ok) return v;
  bool flag = false;
  if (napi_get_value_bool(a.env, a.argv[i], &flag) == napi_ok) return flag ? 1 : 0;
  a.ok = Fail(a.env, "kmodel-blas: expected a number");
  return v;
}

// Geometry from an Int32Array of kGeomFields values, validated to be non-negative and self-consistent.
bool Geom(Args& a, size_t i, ConvGeom* g) {
  if (!a.ok) return false;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(a.env, a.argv[i], &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_int32_array || length < static_cast<size_t>(kmodel::kGeomFields)) {
    return a.ok = Fail(a.env, "kmodel-blas: expected an Int32Array geometry");
  }
  const int32_t* v = static_cast<int32_t*>(data);
  for (int k = 0; k < kmodel::kGeomFields; ++k) {
    if (v[k] < 0 && k < 13) return a.ok = Fail(a.env, "kmodel-blas: negative geometry");
  }
  *g = ConvGeom{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  if (g->inC == 0 || g->strideH == 0 || g->strideW == 0 || g->dilH == 0 || g->dilW == 0) {
    return a.ok = Fail(a.env, "kmodel-blas: inconsistent geometry");
  }
  return true;
}

int64_t InSize(const ConvGeom& g) { return g.batch * g.inH * g.inW * g.inC; }
int64_t OutSize(const ConvGeom& g) { return g.batch * g.outH * g.outW * g.outC; }
int64_t FilterSize(const ConvGeom& g, bool depthwise) { return g.kH * g.kW * (depthwise ? g.outC : g.inC * g.outC); }

napi_value Undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// gemm(a, b, c, batch, m, n, k, transA, transB, strideA, strideB, strideC, beta)
napi_value GemmJs(napi_env env, napi_callback_info info) {
  Args a = Parse(env, info, 13);
  double v[10] = {};
  for (int i = 0; i < 10; ++i) v[i] = Number(a, 3 + i);
  if (!a.ok) return nullptr;
  const auto batch = static_cast<int64_t>(v[0]), m = static_cast<int64_t>(v[1]), n = static_cast<int64_t>(v[2]),
             k = static_cast<int64_t>(v[3]);
  const bool ta = v[4] != 0, tb = v[5] != 0;
  const auto sa = static_cast<int64_t>(v[6]), sb = static_cast<int64_t>(v[7]), sc = static_cast<int64_t>(v[8]);
  if (batch < 1 || m < 0 || n < 0 || k < 0 || sa < 0 || sb < 0 || sc < 0) return Fail(env, "kmodel-blas: bad gemm sizes"), nullptr;
  float* pa = Floats(a, 0, (batch - 1) * sa + m * k);
  float* pb = Floats(a, 1, (batch - 1) * sb + k * n);
  float* pc = Floats(a, 2, (batch - 1) * sc + m * n);
  if (!a.ok) return nullptr;
  kmodel::Gemm(pa, pb, pc, batch, m, n, k, ta, tb, sa, sb, sc, static_cast<float>(v[9]));
  return Undefined(env);
}

// biasActivation(y, bias | null, rows, cols, act, alpha)
napi_value BiasActivationJs(napi_env env, napi_callback_info info) {
  Args a = Parse(env, info, 6);
  const auto rows = static_cast<int64_t>(Number(a, 2)), cols = static_cast<int64_t>(Number(a, 3));
  const auto act = static_cast<int32_t>(Number(a, 4));
  const auto alpha = static_cast<float>(Number(a, 5));
  float* y = Floats(a, 0, rows * cols);
  napi_valuetype t = napi_null;
  if (a.ok) napi_typeof(env, a.argv[1], &t);
  float* bias = (t == napi_null || t == napi_undefined) ? nullptr : Floats(a, 1, cols);
  if (!a.ok) return nullptr;
  kmodel::BiasActivation(y, bias, rows, cols, act, alpha);
  return Undefined(env);
}

// Every image kernel has the signature (in0, in1, out, geometry) or (in0, out, geometry).
enum class Sizes { kIn, kOut, kFilter, kDepthFilter };

int64_t SizeOf(Sizes s, const ConvGeom& g) {
  switch (s) {
    case Sizes::kIn: return InSize(g);
    case Sizes::kOut: return OutSize(g);
    case Sizes::kFilter: return FilterSize(g, false);
    default: return FilterSize(g, true);
  }
}

template <void (*Kernel)(const float*, const float*, float*, const ConvGeom&), Sizes S0, Sizes S1, Sizes S2>
napi_value Ternary(napi_env env, napi_callback_info info) {
  Args a = Parse(env, info, 4);
  ConvGeom g{};
  if (!Geom(a, 3, &g)) return nullptr;
  const float* p0 = Floats(a, 0, SizeOf(S0, g));
  const float* p1 = Floats(a, 1, SizeOf(S1, g));
  float* p2 = Floats(a, 2, SizeOf(S2, g));
  if (!a.ok) return nullptr;
  const bool depthwise = S0 == Sizes::kDepthFilter || S1 == Sizes::kDepthFilter || S2 == Sizes::kDepthFilter;
  if (depthwise && g.outC % g.inC != 0) return Fail(env, "kmodel-blas: depthwise outC is not a multiple of inC"), nullptr;
  Kernel(p0, p1, p2, g);
  return Undefined(env);
}

napi_value MaxPoolJs(napi_env env, napi_callback_info info) {
  Args a = Parse(env, info, 3);
  ConvGeom g{};
  if (!Geom(a, 2, &g)) return nullptr;
  const float* x = Floats(a, 0, InSize(g));
  float* y = Floats(a, 1, OutSize(g));
  if (!a.ok) return nullptr;
  kmodel::MaxPool(x, y, g);
  return Undefined(env);
}

// relu(x, out) · step(x, out, alpha)
napi_value ReluJs(napi_env env, napi_callback_info info) {
  Args a = Parse(env, info, 2);
  if (!a.ok) return nullptr;
  size_t n = 0;
  napi_get_typedarray_info(env, a.argv[0], nullptr, &n, nullptr, nullptr, nullptr);
  const float* x = Floats(a, 0, static_cast<int64_t>(n));
  float* out = Floats(a, 1, static_cast<int64_t>(n));
  if (!a.ok) return nullptr;
  kmodel::Relu(x, out, static_cast<int64_t>(n));
  return Undefined(env);
}

napi_value StepJs(napi_env env, napi_callback_info info) {
  Args a = Parse(env, info, 3);
  const auto alpha = static_cast<float>(Number(a, 2));
  if (!a.ok) return nullptr;
  size_t n = 0;
  napi_get_typedarray_info(env, a.argv[0], nullptr, &n, nullptr, nullptr, nullptr);
  const float* x = Floats(a, 0, static_cast<int64_t>(n));
  float* out = Floats(a, 1, static_cast<int64_t>(n));
  if (!a.ok) return nullptr;
  kmodel::Step(x, out, static_cast<int64_t>(n), alpha);
  return Undefined(env);
}

// binary(op, full, part, out, swap): out has full's length; part's length must divide it.
napi_value BinaryJs(napi_env env, napi_callback_info info) {
  Args a = Parse(env, info, 5);
  const auto op = static_cast<int32_t>(Number(a, 0));
  const bool swap = Number(a, 4) != 0;
  if (!a.ok) return nullptr;
  size_t n = 0, m = 0;
  napi_get_typedarray_info(env, a.argv[1], nullptr, &n, nullptr, nullptr, nullptr);
  napi_get_typedarray_info(env, a.argv[2], nullptr, &m, nullptr, nullptr, nullptr);
  if (m == 0 || n % m != 0) return Fail(env, "kmodel-blas: binary operand lengths do not repeat evenly"), nullptr;
  const float* full = Floats(a, 1, static_cast<int64_t>(n));
  const float* part = Floats(a, 2, static_cast<int64_t>(m));
  float* out = Floats(a, 3, static_cast<int64_t>(n));
  if (!a.ok) return nullptr;
  kmodel::Binary(op, full, part, out, static_cast<int64_t>(n), static_cast<int64_t>(m), swap);
  return Undefined(env);
}

// sumMiddle(x, out, outer, reduced, inner)
napi_value SumMiddleJs(napi_env env, napi_callback_info info) {
  Args a = Parse(env, info, 5);
  const auto outer = static_cast<int64_t>(Number(a, 2)), reduced = static_cast<int64_t>(Number(a, 3)),
             inner = static_cast<int64_t>(Number(a, 4));
  if (a.ok && (outer < 0 || reduced < 0 || inner < 0)) a.ok = Fail(env, "kmodel-blas: negative size");
  const float* x = Floats(a, 0, outer * reduced * inner);
  float* out = Floats(a, 1, outer * inner);
  if (!a.ok) return nullptr;
  kmodel::SumMiddle(x, out, outer, reduced, inner);
  return Undefined(env);
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a = Parse(env, info, 1);
  const double n = Number(a, 0);
  if (!a.ok) return nullptr;
  if (n >= 1) kmodel::SetMaxThreads(static_cast<int>(n));
  return Undefined(env);
}

// Keeps freed tensor memory in the process instead of returning it to the kernel: tfjs allocates a fresh
// array for every op result, and on VMs where a 4 KiB page fault costs ~15 µs, re-faulting each megabyte
// costs more than the arithmetic. Allocations up to 32 MiB then come from the reused heap.
napi_value RetainFreedMemory(napi_env env, napi_callback_info) {
  const bool ok = mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1 &&
                  mallopt(M_TOP_PAD, 64 << 20) == 1;
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

napi_value Info(napi_env env, napi_callback_info) {
  std::string text = std::string(openblas_get_config()) + "; threads " + std::to_string(kmodel::MaxThreads());
  napi_value s;
  napi_create_string_utf8(env, text.c_str(), text.size(), &s);
  return s;
}

void Export(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, exports, name, f);
}

napi_value Init(napi_env env, napi_value exports) {
  Export(env, exports, "gemm", GemmJs);
  Export(env, exports, "biasActivation", BiasActivationJs);
  Export(env, exports, "conv2d", Ternary<kmodel::Conv2D, Sizes::kIn, Sizes::kFilter, Sizes::kOut>);
  Export(env, exports, "conv2dBackpropInput", Ternary<kmodel::Conv2DBackpropInput, Sizes::kOut, Sizes::kFilter, Sizes::kIn>);
  Export(env, exports, "conv2dBackpropFilter", Ternary<kmodel::Conv2DBackpropFilter, Sizes::kIn, Sizes::kOut, Sizes::kFilter>);
  Export(env, exports, "depthwise", Ternary<kmodel::Depthwise, Sizes::kIn, Sizes::kDepthFilter, Sizes::kOut>);
  Export(env, exports, "depthwiseBackpropInput", Ternary<kmodel::DepthwiseBackpropInput, Sizes::kOut, Sizes::kDepthFilter, Sizes::kIn>);
  Export(env, exports, "depthwiseBackpropFilter", Ternary<kmodel::DepthwiseBackpropFilter, Sizes::kIn, Sizes::kOut, Sizes::kDepthFilter>);
  Export(env, exports, "maxPool", MaxPoolJs);
  Export(env, exports, "maxPoolGrad", Ternary<kmodel::MaxPoolGrad, Sizes::kIn, Sizes::kOut, Sizes::kIn>);
  Export(env, exports, "relu", ReluJs);
  Export(env, exports, "step", StepJs);
  Export(env, exports, "binary", BinaryJs);
  Export(env, exports, "sumMiddle", SumMiddleJs);
  Export(env, exports, "setThreads", SetThreads);
  Export(env, exports, "retainFreedMemory", RetainFreedMemory);
  Export(env, exports, "info", Info);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
