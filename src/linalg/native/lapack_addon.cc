// rankscope LAPACK/BLAS addon: a thin N-API layer over CBLAS (dgemm, dsyrk) and LAPACKE
// (dsyevd, dgesdd, dgesv, dgelsd) from OpenBLAS. All matrices are row-major Float64Arrays.
// Shapes and finiteness are validated in TypeScript (src/linalg/ops.ts); this file checks argument
// types and buffer lengths itself, so that a wrong call throws a catchable TypeError and can never read
// out of bounds. gemmInto / axpy (float64 and float32) serve the allocation-free dense training loop
// (src/training/dense.ts).
#include <napi.h>
#include <cblas.h>
#include <lapacke.h>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
}

namespace {

Napi::Float64Array NewArray(Napi::Env env, size_t n) { return Napi::Float64Array::New(env, n); }

// While a worker thread is being terminated (Ctrl-C during a study's worker pool), N-API can no longer
// create values: the calls fail and leave empty handles (NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS keeps
// that from aborting the process). An entry point then returns at once instead of writing into them.
template <typename... V>
bool Made(const V&... v) { return (!v.IsEmpty() && ...); }

bool CheckLen(Napi::Env env, const Napi::Float64Array& a, size_t need, const char* op) {
  if (a.ElementLength() != need) {
    Napi::TypeError::New(env, std::string(op) + ": buffer has " + std::to_string(a.ElementLength()) +
                                  " elements, expected " + std::to_string(need))
        .ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

// Every entry point checks its arguments' types first: As<T>() does not check, and a wrong type would
// otherwise abort the process inside N-API instead of throwing.
bool ArgsOk(const Napi::CallbackInfo& info, const char* op, const char* kinds) {
  Napi::Env env = info.Env();
  for (size_t i = 0; kinds[i]; i++) {
    Napi::Value v = info[i];
    bool ok = true;
    const char* want = "";
    switch (kinds[i]) {
      case 'D': ok = v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float64_array; want = "a Float64Array"; break;
      case 'F': ok = v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array; want = "a Float32Array"; break;
      case 'n': ok = v.IsNumber(); want = "a number"; break;
      case 'b': ok = v.IsBoolean(); want = "a boolean"; break;
    }
    if (!ok) {
      Napi::TypeError::New(env, std::string(op) + ": argument " + std::to_string(i + 1) + " must be " + want).ThrowAsJavaScriptException();
      return false;
    }
  }
  return true;
}

bool LapackOk(Napi::Env env, lapack_int info, const char* op) {
  if (info != 0) {
    Napi::Error::New(env, std::string(op) + ": LAPACK returned info=" + std::to_string(info))
        .ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

// gemm(A, m, k, transA, B, k2, n, transB, alpha) -> C (m x n) = alpha * op(A) op(B)
// A is stored as (transA ? k x m : m x k), B as (transB ? n x k : k x n).
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ArgsOk(info, "gemm", "DnnbDnbn")) return env.Null();
  auto A = info[0].As<Napi::Float64Array>();
  int m = info[1].As<Napi::Number>().Int32Value();
  int k = info[2].As<Napi::Number>().Int32Value();
  bool ta = info[3].As<Napi::Boolean>().Value();
  auto B = info[4].As<Napi::Float64Array>();
  int n = info[5].As<Napi::Number>().Int32Value();
  bool tb = info[6].As<Napi::Boolean>().Value();
  double alpha = info[7].As<Napi::Number>().DoubleValue();
  if (!CheckLen(env, A, (size_t)m * k, "gemm A") || !CheckLen(env, B, (size_t)k * n, "gemm B")) return env.Null();
  auto C = NewArray(env, (size_t)m * n);
  if (!Made(C)) return env.Null();
  if (m == 0 || n == 0) return C;
  if (k == 0) { std::memset(C.Data(), 0, sizeof(double) * (size_t)m * n); return C; }
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha,
              A.Data(), ta ? m : k, B.Data(), tb ? k : n, 0.0, C.Data(), n);
  return C;
}

// syrk(A, rows, cols, trans, alpha) -> full symmetric C: alpha*A^T A (trans, cols x cols) or alpha*A A^T.
Napi::Value Syrk(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ArgsOk(info, "syrk", "Dnnbn")) return env.Null();
  auto A = info[0].As<Napi::Float64Array>();
  int rows = info[1].As<Napi::Number>().Int32Value();
  int cols = info[2].As<Napi::Number>().Int32Value();
  bool trans = info[3].As<Napi::Boolean>().Value();
  double alpha = info[4].As<Napi::Number>().DoubleValue();
  if (!CheckLen(env, A, (size_t)rows * cols, "syrk A")) return env.Null();
  int n = trans ? cols : rows, k = trans ? rows : cols;
  auto C = NewArray(env, (size_t)n * n);
  if (!Made(C)) return env.Null();
  if (n == 0) return C;
  if (k == 0) { std::memset(C.Data(), 0, sizeof(double) * (size_t)n * n); return C; }
  double* c = C.Data();
  cblas_dsyrk(CblasRowMajor, CblasUpper, trans ? CblasTrans : CblasNoTrans, n, k, alpha, A.Data(), cols, 0.0, c, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < i; ++j) c[(size_t)i * n + j] = c[(size_t)j * n + i];
  return C;
}

// eigh(A, n, wantVectors) -> { values (ascending), vectors (row-major, column j = eigenvector j) }
Napi::Value Eigh(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ArgsOk(info, "eigh", "Dnb")) return env.Null();
  auto A = info[0].As<Napi::Float64Array>();
  int n = info[1].As<Napi::Number>().Int32Value();
  bool vecs = info[2].As<Napi::Boolean>().Value();
  if (!CheckLen(env, A, (size_t)n * n, "eigh A")) return env.Null();
  auto W = NewArray(env, n);
  auto Z = NewArray(env, vecs ? (size_t)n * n : 0);
  Napi::Object out = Napi::Object::New(env);
  if (!Made(W, Z, out)) return env.Null();
  out.Set("values", W);
  if (n == 0) { out.Set("vectors", Z); return out; }
  std::vector<double> work(A.Data(), A.Data() + (size_t)n * n);
  lapack_int rc = LAPACKE_dsyevd(LAPACK_COL_MAJOR, vecs ? 'V' : 'N', 'L', n, work.data(), n, W.Data());
  if (!LapackOk(env, rc, "eigh (dsyevd)")) return env.Null();
  if (vecs) {
    // work holds eigenvectors column-major: column j contiguous. Row-major output wants Z[i*n+j] = v_j[i].
    double* z = Z.Data();
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) z[(size_t)i * n + j] = work[(size_t)j * n + i];
  }
  out.Set("vectors", Z);
  return out;
}

// svd(A, m, n, wantVectors) -> { s (descending), u (m x kk), vt (kk x n) }, kk = min(m, n), thin.
Napi::Value Svd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ArgsOk(info, "svd", "Dnnb")) return env.Null();
  auto A = info[0].As<Napi::Float64Array>();
  int m = info[1].As<Napi::Number>().Int32Value();
  int n = info[2].As<Napi::Number>().Int32Value();
  bool vecs = info[3].As<Napi::Boolean>().Value();
  if (!CheckLen(env, A, (size_t)m * n, "svd A")) return env.Null();
  int kk = m < n ? m : n;
  auto S = NewArray(env, kk);
  auto U = NewArray(env, vecs ? (size_t)m * kk : 0);
  auto VT = NewArray(env, vecs ? (size_t)kk * n : 0);
  Napi::Object out = Napi::Object::New(env);
  if (!Made(S, U, VT, out)) return env.Null();
  out.Set("s", S); out.Set("u", U); out.Set("vt", VT);
  if (kk == 0) return out;
  std::vector<double> work(A.Data(), A.Data() + (size_t)m * n);
  lapack_int rc = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, vecs ? 'S' : 'N', m, n, work.data(), n, S.Data(),
                                 vecs ? U.Data() : nullptr, kk, vecs ? VT.Data() : nullptr, n);
  if (!LapackOk(env, rc, "svd (dgesdd)")) return env.Null();
  return out;
}

// solve(A, n, B, nrhs) -> X with A X = B (dgesv, LU with partial pivoting)
Napi::Value Solve(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ArgsOk(info, "solve", "DnDn")) return env.Null();
  auto A = info[0].As<Napi::Float64Array>();
  int n = info[1].As<Napi::Number>().Int32Value();
  auto B = info[2].As<Napi::Float64Array>();
  int nrhs = info[3].As<Napi::Number>().Int32Value();
  if (!CheckLen(env, A, (size_t)n * n, "solve A") || !CheckLen(env, B, (size_t)n * nrhs, "solve B")) return env.Null();
  std::vector<double> a(A.Data(), A.Data() + (size_t)n * n);
  auto X = NewArray(env, (size_t)n * nrhs);
  if (!Made(X)) return env.Null();
  std::memcpy(X.Data(), B.Data(), sizeof(double) * (size_t)n * nrhs);
  if (n == 0 || nrhs == 0) return X;
  std::vector<lapack_int> piv(n);
  lapack_int rc = LAPACKE_dgesv(LAPACK_ROW_MAJOR, n, nrhs, a.data(), n, piv.data(), X.Data(), nrhs);
  if (rc > 0) {
    Napi::Error::New(env, "solve: matrix is singular (U(" + std::to_string(rc) + "," + std::to_string(rc) + ") = 0)")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  if (!LapackOk(env, rc, "solve (dgesv)")) return env.Null();
  return X;
}

// lstsq(A, m, n, B, nrhs, rcond) -> { x (n x nrhs), rank } minimum-norm least squares (dgelsd)
Napi::Value Lstsq(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ArgsOk(info, "lstsq", "DnnDnn")) return env.Null();
  auto A = info[0].As<Napi::Float64Array>();
  int m = info[1].As<Napi::Number>().Int32Value();
  int n = info[2].As<Napi::Number>().Int32Value();
  auto B = info[3].As<Napi::Float64Array>();
  int nrhs = info[4].As<Napi::Number>().Int32Value();
  double rcond = info[5].As<Napi::Number>().DoubleValue();
  if (!CheckLen(env, A, (size_t)m * n, "lstsq A") || !CheckLen(env, B, (size_t)m * nrhs, "lstsq B")) return env.Null();
  int ldb = m > n ? m : n;
  std::vector<double> a(A.Data(), A.Data() + (size_t)m * n);
  std::vector<double> b((size_t)ldb * (nrhs > 0 ? nrhs : 1), 0.0);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < nrhs; ++j) b[(size_t)i * nrhs + j] = B.Data()[(size_t)i * nrhs + j];
  int kk = m < n ? m : n;
  std::vector<double> s(kk > 0 ? kk : 1);
  lapack_int rank = 0;
  auto X = NewArray(env, (size_t)n * nrhs);
  Napi::Object out = Napi::Object::New(env);
  if (!Made(X, out)) return env.Null();
  if (kk == 0 || nrhs == 0) { out.Set("x", X); out.Set("rank", 0); return out; }
  lapack_int rc = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, m, n, nrhs, a.data(), n, b.data(), nrhs, s.data(), rcond, &rank);
  if (!LapackOk(env, rc, "lstsq (dgelsd)")) return env.Null();
  std::memcpy(X.Data(), b.data(), sizeof(double) * (size_t)n * nrhs);
  out.Set("x", X);
  out.Set("rank", Napi::Number::New(env, rank));
  return out;
}

// ---- the in-place kernels of the dense training loop work in float64 or float32 ----
template <typename T>
bool SameType(const Napi::CallbackInfo& info, const char* op, const char* kinds) {
  // kinds uses 'A' for "an array of the training precision" and n/b as in ArgsOk
  std::string k(kinds);
  for (auto& c : k) if (c == 'A') c = sizeof(T) == 8 ? 'D' : 'F';
  return ArgsOk(info, op, k.c_str());
}

bool IsF32(const Napi::Value& v) { return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array; }

// Calls f(T{}) with T = float when argument `probe` is a Float32Array, else double, once every 'A' argument of
// `kinds` is checked to be an array of that type (a wrong type throws a TypeError and f is not called).
template <typename F>
Napi::Value ByPrecision(const Napi::CallbackInfo& info, size_t probe, const char* op, const char* kinds, F f) {
  if (IsF32(info[probe])) {
    if (SameType<float>(info, op, kinds)) f(float{});
  } else if (SameType<double>(info, op, kinds)) {
    f(double{});
  }
  return info.Env().Undefined();
}

// gemmInto(C, A, m, k, transA, B, n, transB, alpha, beta): C (m x n, row-major, may be a subarray view)
// = alpha op(A) op(B) + beta C, in place, no allocation. Float64Array (dgemm) or Float32Array (sgemm),
// all three of the same type.
template <typename T>
void GemmIntoT(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto C = info[0].As<Napi::TypedArrayOf<T>>();
  auto A = info[1].As<Napi::TypedArrayOf<T>>();
  int m = info[2].As<Napi::Number>().Int32Value();
  int k = info[3].As<Napi::Number>().Int32Value();
  bool ta = info[4].As<Napi::Boolean>().Value();
  auto B = info[5].As<Napi::TypedArrayOf<T>>();
  int n = info[6].As<Napi::Number>().Int32Value();
  bool tb = info[7].As<Napi::Boolean>().Value();
  double alpha = info[8].As<Napi::Number>().DoubleValue();
  double beta = info[9].As<Napi::Number>().DoubleValue();
  if (m < 0 || n < 0 || k < 0) { Napi::RangeError::New(env, "gemmInto: negative dimension").ThrowAsJavaScriptException(); return; }
  if (A.ElementLength() != (size_t)m * k || B.ElementLength() != (size_t)k * n || C.ElementLength() != (size_t)m * n) {
    Napi::TypeError::New(env, "gemmInto: buffer lengths " + std::to_string(A.ElementLength()) + ", " + std::to_string(B.ElementLength()) + ", " +
                                  std::to_string(C.ElementLength()) + " do not match m, k, n = " + std::to_string(m) + ", " + std::to_string(k) + ", " + std::to_string(n))
        .ThrowAsJavaScriptException();
    return;
  }
  if (m == 0 || n == 0) return;
  if (k == 0) { for (size_t i = 0; i < (size_t)m * n; i++) C.Data()[i] = (T)(beta * C.Data()[i]); return; }
  if constexpr (sizeof(T) == 8) {
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, A.Data(), ta ? m : k, B.Data(), tb ? k : n, beta, C.Data(), n);
  } else {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, (float)alpha, A.Data(), ta ? m : k, B.Data(), tb ? k : n, (float)beta, C.Data(), n);
  }
}

Napi::Value GemmInto(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "gemmInto", "AAnnbAnbnn", [&](auto t) { GemmIntoT<decltype(t)>(info); });
}

// axpy(alpha, x, y): y += alpha x in place (same type and length).
template <typename T>
void AxpyT(const Napi::CallbackInfo& info) {
  double alpha = info[0].As<Napi::Number>().DoubleValue();
  auto x = info[1].As<Napi::TypedArrayOf<T>>();
  auto y = info[2].As<Napi::TypedArrayOf<T>>();
  if (x.ElementLength() != y.ElementLength()) { Napi::TypeError::New(info.Env(), "axpy: x and y differ in length").ThrowAsJavaScriptException(); return; }
  if constexpr (sizeof(T) == 8) cblas_daxpy((int)x.ElementLength(), alpha, x.Data(), 1, y.Data(), 1);
  else cblas_saxpy((int)x.ElementLength(), (float)alpha, x.Data(), 1, y.Data(), 1);
}

Napi::Value Axpy(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 1, "axpy", "nAA", [&](auto t) { AxpyT<decltype(t)>(info); });
}

// ---- element-wise kernels of the dense training loop (float64 or float32 buffers, in place) ----
// activate(kind, Z, H, D): H = σ(Z), D = σ'(Z); kind 0 linear, 1 relu, 2 leaky-relu (0.01), 3 tanh, 4 sigmoid.
template <typename T>
void ActivateT(const Napi::CallbackInfo& info) {
  int kind = info[0].As<Napi::Number>().Int32Value();
  auto Z = info[1].As<Napi::TypedArrayOf<T>>();
  auto H = info[2].As<Napi::TypedArrayOf<T>>();
  auto D = info[3].As<Napi::TypedArrayOf<T>>();
  size_t n = Z.ElementLength();
  if (H.ElementLength() != n || D.ElementLength() != n) { Napi::TypeError::New(info.Env(), "activate: Z, H, D differ in length").ThrowAsJavaScriptException(); return; }
  T* z = Z.Data(); T* h = H.Data(); T* d = D.Data();
  switch (kind) {
    case 0: for (size_t i = 0; i < n; i++) { h[i] = z[i]; d[i] = 1; } break;
    case 1: for (size_t i = 0; i < n; i++) { T v = z[i]; h[i] = v > 0 ? v : 0; d[i] = v > 0 ? 1 : 0; } break;
    case 2: for (size_t i = 0; i < n; i++) { T v = z[i]; h[i] = v > 0 ? v : (T)(0.01 * v); d[i] = v > 0 ? 1 : (T)0.01; } break;
    case 3: for (size_t i = 0; i < n; i++) { double t = std::tanh((double)z[i]); h[i] = (T)t; d[i] = (T)(1 - t * t); } break;
    case 4: for (size_t i = 0; i < n; i++) { double v = z[i]; double e = std::exp(-std::fabs(v)); double s = v >= 0 ? 1 / (1 + e) : e / (1 + e); h[i] = (T)s; d[i] = (T)(s * (1 - s)); } break;
    default: Napi::RangeError::New(info.Env(), "activate: unknown kind " + std::to_string(kind)).ThrowAsJavaScriptException();
  }
}

Napi::Value Activate(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 1, "activate", "nAAA", [&](auto t) { ActivateT<decltype(t)>(info); });
}

// hadamard(G, D): G *= D element-wise.
template <typename T>
void HadamardT(const Napi::CallbackInfo& info) {
  auto G = info[0].As<Napi::TypedArrayOf<T>>();
  auto D = info[1].As<Napi::TypedArrayOf<T>>();
  if (G.ElementLength() != D.ElementLength()) { Napi::TypeError::New(info.Env(), "hadamard: G and D differ in length").ThrowAsJavaScriptException(); return; }
  T* g = G.Data(); const T* d = D.Data();
  for (size_t i = 0, n = G.ElementLength(); i < n; i++) g[i] *= d[i];
}

Napi::Value Hadamard(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "hadamard", "AA", [&](auto t) { HadamardT<decltype(t)>(info); });
}

// adam(p, g, m, v, lr, beta1, beta2, eps, c1, c2, decay): the Adam update of training/optimizers.ts in place
// (m, v Float64Array); then p -= lr*decay*p when decay > 0 (AdamW's decoupled weight decay).
template <typename T>
void AdamT(const Napi::CallbackInfo& info) {
  auto P = info[0].As<Napi::TypedArrayOf<T>>();
  auto G = info[1].As<Napi::TypedArrayOf<T>>();
  auto M = info[2].As<Napi::Float64Array>();
  auto V = info[3].As<Napi::Float64Array>();
  double lr = info[4].As<Napi::Number>().DoubleValue(), b1 = info[5].As<Napi::Number>().DoubleValue(), b2 = info[6].As<Napi::Number>().DoubleValue();
  double eps = info[7].As<Napi::Number>().DoubleValue(), c1 = info[8].As<Napi::Number>().DoubleValue(), c2 = info[9].As<Napi::Number>().DoubleValue();
  double decay = info[10].As<Napi::Number>().DoubleValue();
  size_t n = P.ElementLength();
  if (G.ElementLength() != n || M.ElementLength() != n || V.ElementLength() != n) { Napi::TypeError::New(info.Env(), "adam: p, g, m, v differ in length").ThrowAsJavaScriptException(); return; }
  T* p = P.Data(); const T* g = G.Data(); double* m = M.Data(); double* v = V.Data();
  for (size_t i = 0; i < n; i++) {
    double gi = g[i];
    m[i] = b1 * m[i] + (1 - b1) * gi;
    v[i] = b2 * v[i] + (1 - b2) * gi * gi;
    p[i] = (T)(p[i] - (lr * (m[i] / c1)) / (std::sqrt(v[i] / c2) + eps));
  }
  if (decay > 0) for (size_t i = 0; i < n; i++) p[i] = (T)(p[i] - lr * decay * p[i]);
}

Napi::Value Adam(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "adam", "AADDnnnnnnn", [&](auto t) { AdamT<decltype(t)>(info); });
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  if (!ArgsOk(info, "setThreads", "n")) return info.Env().Null();
  openblas_set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("syrk", Napi::Function::New(env, Syrk));
  exports.Set("eigh", Napi::Function::New(env, Eigh));
  exports.Set("svd", Napi::Function::New(env, Svd));
  exports.Set("solve", Napi::Function::New(env, Solve));
  exports.Set("lstsq", Napi::Function::New(env, Lstsq));
  exports.Set("gemmInto", Napi::Function::New(env, GemmInto));
  exports.Set("axpy", Napi::Function::New(env, Axpy));
  exports.Set("activate", Napi::Function::New(env, Activate));
  exports.Set("hadamard", Napi::Function::New(env, Hadamard));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads));
  return exports;
}

}  // namespace

NODE_API_MODULE(rankscope_lapack, Init)
