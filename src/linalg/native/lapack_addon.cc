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
#include <algorithm>
#include <cstdlib>
#include <cstring>
#ifdef __linux__
#include <sys/mman.h>
#endif
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
      case 'I': ok = v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_int32_array; want = "an Int32Array"; break;
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

// A copy of a matrix for LAPACK to overwrite. Copies of 4 MiB and more are 2 MiB-aligned and, on Linux, asked
// for transparent huge pages (madvise): dsytrd streams the whole trailing matrix once per column, and with 4 KiB
// pages the TLB misses cost ~19 % of eigvalsh on the p = 2720 Hessian (measured: 0.727 → 0.591 s).
class WorkCopy {
 public:
  WorkCopy(const double* src, size_t count) : bytes_(count * sizeof(double)) {
    const size_t huge = (size_t)2 << 20;
    if (bytes_ >= ((size_t)4 << 20)) {
      size_t rounded = (bytes_ + huge - 1) / huge * huge;
      p_ = static_cast<double*>(std::aligned_alloc(huge, rounded));
#ifdef __linux__
      if (p_) madvise(p_, rounded, MADV_HUGEPAGE);
#endif
    }
    if (!p_) p_ = static_cast<double*>(std::malloc(bytes_ ? bytes_ : 1));
    if (p_ && bytes_) std::memcpy(p_, src, bytes_);
  }
  ~WorkCopy() { std::free(p_); }
  WorkCopy(const WorkCopy&) = delete;
  WorkCopy& operator=(const WorkCopy&) = delete;
  double* data() { return p_; }
  bool ok() const { return p_ != nullptr; }

 private:
  size_t bytes_;
  double* p_ = nullptr;
};

// symmetryScan(A, n) -> Float64Array [firstNonFinite, maxAbs, i, j, diff]: the index of the first non-finite
// entry (−1 when none), max |a_ij|, and the first pair i < j (row-major order) with |a_ij − a_ji| > 1e-10·maxAbs
// (i = −1 when none). Walks the matrix in 64×64 tiles, so the transposed reads stay in cache.
Napi::Value SymmetryScan(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ArgsOk(info, "symmetryScan", "Dn")) return env.Null();
  auto A = info[0].As<Napi::Float64Array>();
  int64_t n = info[1].As<Napi::Number>().Int64Value();
  if (n < 0 || !CheckLen(env, A, (size_t)n * n, "symmetryScan A")) return env.Null();
  auto out = NewArray(env, 5);
  if (!Made(out)) return env.Null();
  const double* a = A.Data();
  double* o = out.Data();
  o[0] = -1; o[1] = 0; o[2] = -1; o[3] = -1; o[4] = 0;
  size_t nn = (size_t)n * n;
  double maxAbs = 0;
  for (size_t k = 0; k < nn; k++) {
    double v = std::fabs(a[k]);
    if (!(v <= 1.7976931348623157e308)) { o[0] = (double)k; return out; }
    if (v > maxAbs) maxAbs = v;
  }
  o[1] = maxAbs;
  const double tol = 1e-10 * maxAbs;
  const int64_t T = 64;
  int64_t bi = -1, bj = -1;
  double bd = 0;
  for (int64_t i0 = 0; i0 < n; i0 += T)
    for (int64_t j0 = i0; j0 < n; j0 += T)
      for (int64_t i = i0; i < std::min(n, i0 + T); i++)
        for (int64_t j = std::max(j0, i + 1); j < std::min(n, j0 + T); j++) {
          double d = std::fabs(a[i * n + j] - a[j * n + i]);
          if (d > tol && (bi < 0 || i < bi || (i == bi && j < bj))) { bi = i; bj = j; bd = d; }
        }
  o[2] = (double)bi; o[3] = (double)bj; o[4] = bd;
  return out;
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
  WorkCopy work(A.Data(), (size_t)n * n);
  if (!work.ok()) { Napi::Error::New(env, "eigh: out of memory for the work copy").ThrowAsJavaScriptException(); return env.Null(); }
  lapack_int rc = LAPACKE_dsyevd(LAPACK_COL_MAJOR, vecs ? 'V' : 'N', 'L', n, work.data(), n, W.Data());
  if (!LapackOk(env, rc, "eigh (dsyevd)")) return env.Null();
  if (vecs) {
    // work holds eigenvectors column-major: column j contiguous. Row-major output wants Z[i*n+j] = v_j[i].
    double* z = Z.Data();
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) z[(size_t)i * n + j] = work.data()[(size_t)j * n + i];
  }
  out.Set("vectors", Z);
  return out;
}

// eigvalsh2stage(A, n) -> Float64Array of the eigenvalues (ascending), by LAPACK's two-stage reduction
// (dsyevd_2stage, jobz 'N'): full → band with BLAS3, band → tridiagonal by bulge chasing. For eigenvalues only it
// replaces dsytrd's half of matrix-vector products (memory-bound, one sweep of the trailing matrix per column) and is
// faster from n ≈ 2000 on (measured on this machine: 0.53× dsyevd's time at n = 5200, 1 thread); slower below.
Napi::Value Eigvalsh2Stage(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ArgsOk(info, "eigvalsh2stage", "Dn")) return env.Null();
  auto A = info[0].As<Napi::Float64Array>();
  int n = info[1].As<Napi::Number>().Int32Value();
  if (n < 0 || !CheckLen(env, A, (size_t)n * n, "eigvalsh2stage A")) return env.Null();
  auto W = NewArray(env, n);
  if (!Made(W)) return env.Null();
  if (n == 0) return W;
  WorkCopy work(A.Data(), (size_t)n * n);
  if (!work.ok()) { Napi::Error::New(env, "eigvalsh2stage: out of memory for the work copy").ThrowAsJavaScriptException(); return env.Null(); }
  lapack_int rc = LAPACKE_dsyevd_2stage(LAPACK_COL_MAJOR, 'N', 'L', n, work.data(), n, W.Data());
  if (!LapackOk(env, rc, "eigvalsh (dsyevd_2stage)")) return env.Null();
  return W;
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
// On x86-64 with glibc, tanh and exp run four (float64) or eight (float32) at a time through glibc's libmvec
// (_ZGVdN4v_tanh etc., at most 4 ulp from the scalar functions) when the CPU has AVX2; the loops of the
// Adam update and the other kernels are compiled twice (AVX2 and baseline) and chosen at load time.
// Neither enables FMA, so every product and sum rounds as in the scalar code.
#if defined(__x86_64__) && defined(__GLIBC__) && defined(__GNUC__) && !defined(__clang__)
#define RS_MVEC 1
#include <immintrin.h>
#pragma GCC push_options
#pragma GCC target("avx2")
extern "C" {
__m256d _ZGVdN4v_tanh(__m256d);
__m256 _ZGVdN8v_tanhf(__m256);
__m256d _ZGVdN4v_exp(__m256d);
__m256 _ZGVdN8v_expf(__m256);
}
// h = tanh(z) for the first n - n % lanes elements; returns how many were done.
size_t TanhAvx2(const double* z, double* h, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(h + i, _ZGVdN4v_tanh(_mm256_loadu_pd(z + i)));
  return i;
}
size_t TanhAvx2(const float* z, float* h, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(h + i, _ZGVdN8v_tanhf(_mm256_loadu_ps(z + i)));
  return i;
}
// h = exp(-|z|)
size_t ExpNegAbsAvx2(const double* z, double* h, size_t n) {
  const __m256d sign = _mm256_set1_pd(-0.0);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(h + i, _ZGVdN4v_exp(_mm256_or_pd(_mm256_loadu_pd(z + i), sign)));
  return i;
}
size_t ExpNegAbsAvx2(const float* z, float* h, size_t n) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(h + i, _ZGVdN8v_expf(_mm256_or_ps(_mm256_loadu_ps(z + i), sign)));
  return i;
}
#pragma GCC pop_options
const bool kAvx2 = __builtin_cpu_supports("avx2");
#define RS_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define RS_CLONES
#endif

// h = tanh(z); d = 1 − h²
template <typename T>
void TanhKernel(const T* z, T* h, T* d, size_t n) {
  size_t i = 0;
#ifdef RS_MVEC
  if (kAvx2) {
    i = TanhAvx2(z, h, n);
    for (size_t j = 0; j < i; j++) d[j] = (T)(1 - h[j] * h[j]);
  }
#endif
  for (; i < n; i++) { T t = (T)std::tanh(z[i]); h[i] = t; d[i] = (T)(1 - t * t); }
}

// h = σ(z) = 1 / (1 + e^−z) computed from e = e^−|z| (no overflow); d = σ(1 − σ)
template <typename T>
void SigmoidKernel(const T* z, T* h, T* d, size_t n) {
  size_t i = 0;
#ifdef RS_MVEC
  if (kAvx2) i = ExpNegAbsAvx2(z, h, n);  // h holds e until the loop below
#endif
  for (size_t j = 0; j < i; j++) { T e = h[j]; T s = z[j] >= 0 ? 1 / (1 + e) : e / (1 + e); h[j] = s; d[j] = s * (1 - s); }
  for (; i < n; i++) { T e = (T)std::exp(-std::fabs(z[i])); T s = z[i] >= 0 ? 1 / (1 + e) : e / (1 + e); h[i] = s; d[i] = s * (1 - s); }
}

template <typename T>
void PiecewiseKernel(int kind, const T* z, T* h, T* d, size_t n) {
  switch (kind) {
    case 0: for (size_t i = 0; i < n; i++) { h[i] = z[i]; d[i] = 1; } break;
    case 1: for (size_t i = 0; i < n; i++) { T v = z[i]; h[i] = v > 0 ? v : 0; d[i] = v > 0 ? 1 : 0; } break;
    case 2: for (size_t i = 0; i < n; i++) { T v = z[i]; h[i] = v > 0 ? v : (T)(0.01 * v); d[i] = v > 0 ? 1 : (T)0.01; } break;
  }
}
RS_CLONES void Piecewise64(int kind, const double* z, double* h, double* d, size_t n) { PiecewiseKernel(kind, z, h, d, n); }
RS_CLONES void Piecewise32(int kind, const float* z, float* h, float* d, size_t n) { PiecewiseKernel(kind, z, h, d, n); }
void Piecewise(int kind, const double* z, double* h, double* d, size_t n) { Piecewise64(kind, z, h, d, n); }
void Piecewise(int kind, const float* z, float* h, float* d, size_t n) { Piecewise32(kind, z, h, d, n); }

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
    case 0: case 1: case 2: Piecewise(kind, z, h, d, n); break;
    case 3: TanhKernel(z, h, d, n); break;
    case 4: SigmoidKernel(z, h, d, n); break;
    default: Napi::RangeError::New(info.Env(), "activate: unknown kind " + std::to_string(kind)).ThrowAsJavaScriptException();
  }
}

Napi::Value Activate(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 1, "activate", "nAAA", [&](auto t) { ActivateT<decltype(t)>(info); });
}

template <typename T>
void HadamardKernel(T* g, const T* d, size_t n) { for (size_t i = 0; i < n; i++) g[i] *= d[i]; }
RS_CLONES void Hadamard64(double* g, const double* d, size_t n) { HadamardKernel(g, d, n); }
RS_CLONES void Hadamard32(float* g, const float* d, size_t n) { HadamardKernel(g, d, n); }
void HadamardOf(double* g, const double* d, size_t n) { Hadamard64(g, d, n); }
void HadamardOf(float* g, const float* d, size_t n) { Hadamard32(g, d, n); }

// hadamard(G, D): G *= D element-wise.
template <typename T>
void HadamardT(const Napi::CallbackInfo& info) {
  auto G = info[0].As<Napi::TypedArrayOf<T>>();
  auto D = info[1].As<Napi::TypedArrayOf<T>>();
  if (G.ElementLength() != D.ElementLength()) { Napi::TypeError::New(info.Env(), "hadamard: G and D differ in length").ThrowAsJavaScriptException(); return; }
  HadamardOf(G.Data(), D.Data(), G.ElementLength());
}

Napi::Value Hadamard(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "hadamard", "AA", [&](auto t) { HadamardT<decltype(t)>(info); });
}

// gatherRows(dst, src, rows, d): row i of dst (width d, the training precision) = row rows[i] of src
// (Float64Array, width d), rounded to the precision; rows an Int32Array of indices into src.
template <typename T>
void GatherRowsT(const Napi::CallbackInfo& info) {
  auto Dst = info[0].As<Napi::TypedArrayOf<T>>();
  auto Src = info[1].As<Napi::Float64Array>();
  auto Rows = info[2].As<Napi::Int32Array>();
  int64_t d = info[3].As<Napi::Number>().Int64Value();
  size_t B = Rows.ElementLength();
  if (d < 0 || Dst.ElementLength() != B * (size_t)d || (d > 0 && Src.ElementLength() % (size_t)d != 0)) {
    Napi::TypeError::New(info.Env(), "gatherRows: dst must hold rows.length × d elements and src whole rows of d").ThrowAsJavaScriptException();
    return;
  }
  size_t n = d > 0 ? Src.ElementLength() / (size_t)d : 0;
  const int32_t* r = Rows.Data();
  for (size_t i = 0; i < B; i++) {
    if (r[i] < 0 || (size_t)r[i] >= n) { Napi::RangeError::New(info.Env(), "gatherRows: row index " + std::to_string(r[i]) + " outside 0.." + std::to_string(n)).ThrowAsJavaScriptException(); return; }
  }
  T* out = Dst.Data(); const double* src = Src.Data();
  for (size_t i = 0; i < B; i++) {
    const double* row = src + (size_t)r[i] * d;
    T* o = out + i * d;
    for (int64_t j = 0; j < d; j++) o[j] = (T)row[j];
  }
}

Napi::Value GatherRows(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "gatherRows", "ADIn", [&](auto t) { GatherRowsT<decltype(t)>(info); });
}

// addBias(Z, b): Z (rows × c, row-major) += b on every row, b of length c.
// biasGradient(G, g): g (length c) = the column sums of G (rows × c).
template <typename T>
void AddBiasT(const Napi::CallbackInfo& info) {
  auto Z = info[0].As<Napi::TypedArrayOf<T>>();
  auto Bv = info[1].As<Napi::TypedArrayOf<T>>();
  size_t c = Bv.ElementLength();
  if (c == 0 || Z.ElementLength() % c != 0) { Napi::TypeError::New(info.Env(), "addBias: Z's length is not a multiple of b's").ThrowAsJavaScriptException(); return; }
  T* z = Z.Data(); const T* b = Bv.Data();
  for (size_t i = 0, rows = Z.ElementLength() / c; i < rows; i++)
    for (size_t j = 0; j < c; j++) z[i * c + j] += b[j];
}

Napi::Value AddBias(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "addBias", "AA", [&](auto t) { AddBiasT<decltype(t)>(info); });
}

template <typename T>
void BiasGradientT(const Napi::CallbackInfo& info) {
  auto G = info[0].As<Napi::TypedArrayOf<T>>();
  auto Out = info[1].As<Napi::TypedArrayOf<T>>();
  size_t c = Out.ElementLength();
  if (c == 0 || G.ElementLength() % c != 0) { Napi::TypeError::New(info.Env(), "biasGradient: G's length is not a multiple of g's").ThrowAsJavaScriptException(); return; }
  const T* g = G.Data(); T* o = Out.Data();
  for (size_t j = 0; j < c; j++) o[j] = 0;
  for (size_t i = 0, rows = G.ElementLength() / c; i < rows; i++)
    for (size_t j = 0; j < c; j++) o[j] += g[i * c + j];
}

Napi::Value BiasGradient(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "biasGradient", "AA", [&](auto t) { BiasGradientT<decltype(t)>(info); });
}

template <typename T>
void AdamKernel(T* p, const T* g, double* m, double* v, size_t n, double lr, double b1, double b2, double eps, double c1, double c2, double decay) {
  if (decay > 0) {
    for (size_t i = 0; i < n; i++) {
      double gi = g[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      T q = (T)(p[i] - (lr * (m[i] / c1)) / (std::sqrt(v[i] / c2) + eps));
      p[i] = (T)(q - lr * decay * q);
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      double gi = g[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      p[i] = (T)(p[i] - (lr * (m[i] / c1)) / (std::sqrt(v[i] / c2) + eps));
    }
  }
}
RS_CLONES void Adam64(double* p, const double* g, double* m, double* v, size_t n, double lr, double b1, double b2, double eps, double c1, double c2, double decay) { AdamKernel(p, g, m, v, n, lr, b1, b2, eps, c1, c2, decay); }
RS_CLONES void Adam32(float* p, const float* g, double* m, double* v, size_t n, double lr, double b1, double b2, double eps, double c1, double c2, double decay) { AdamKernel(p, g, m, v, n, lr, b1, b2, eps, c1, c2, decay); }
void AdamOf(double* p, const double* g, double* m, double* v, size_t n, double lr, double b1, double b2, double eps, double c1, double c2, double decay) { Adam64(p, g, m, v, n, lr, b1, b2, eps, c1, c2, decay); }
void AdamOf(float* p, const float* g, double* m, double* v, size_t n, double lr, double b1, double b2, double eps, double c1, double c2, double decay) { Adam32(p, g, m, v, n, lr, b1, b2, eps, c1, c2, decay); }

// adam(p, g, m, v, lr, beta1, beta2, eps, c1, c2, decay): the Adam update of training/optimizers.ts in place
// (m, v Float64Array); then p -= lr*decay*p when decay > 0 (AdamW's decoupled weight decay, applied to the
// updated parameter rounded to its precision, as a second pass would).
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
  AdamOf(P.Data(), G.Data(), M.Data(), V.Data(), n, lr, b1, b2, eps, c1, c2, decay);
}

Napi::Value Adam(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "adam", "AADDnnnnnnn", [&](auto t) { AdamT<decltype(t)>(info); });
}

// ---- the conv-net kernels of the native VGG training loop (NHWC, batch-major, in place) ----
// im2col(X, B, H, W, C, k, pad, cols): cols[(b, y, x), (r, s, c)] = X_pad[b, y + r, x + s, c] for the k×k,
// stride-1 convolution with zero padding `pad`, so that conv(X) = cols · W with W the [k, k, C, C_out]
// filter (tfjs's layout) read as a (k·k·C) × C_out matrix. Output size Ho = H + 2 pad − k + 1.
struct ConvShape { int64_t B, H, W, C, k, pad, Ho, Wo; };

bool ConvShapeOf(const Napi::CallbackInfo& info, size_t at, const char* op, ConvShape& s) {
  s.B = info[at].As<Napi::Number>().Int64Value(); s.H = info[at + 1].As<Napi::Number>().Int64Value();
  s.W = info[at + 2].As<Napi::Number>().Int64Value(); s.C = info[at + 3].As<Napi::Number>().Int64Value();
  s.k = info[at + 4].As<Napi::Number>().Int64Value(); s.pad = info[at + 5].As<Napi::Number>().Int64Value();
  s.Ho = s.H + 2 * s.pad - s.k + 1; s.Wo = s.W + 2 * s.pad - s.k + 1;
  if (s.B < 1 || s.H < 1 || s.W < 1 || s.C < 1 || s.k < 1 || s.pad < 0 || s.Ho < 1 || s.Wo < 1) {
    Napi::RangeError::New(info.Env(), std::string(op) + ": invalid shape").ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

template <typename T>
void Im2colKernel(const T* x, T* cols, const ConvShape& s) {
  const int64_t rowLen = s.k * s.k * s.C, span = s.k * s.C;
  for (int64_t b = 0; b < s.B; b++)
    for (int64_t y = 0; y < s.Ho; y++)
      for (int64_t xo = 0; xo < s.Wo; xo++) {
        T* out = cols + ((b * s.Ho + y) * s.Wo + xo) * rowLen;
        const int64_t x0 = xo - s.pad;
        const bool inside = x0 >= 0 && x0 + s.k <= s.W;
        for (int64_t r = 0; r < s.k; r++) {
          const int64_t yi = y + r - s.pad;
          T* o = out + r * span;
          if (yi < 0 || yi >= s.H) { std::fill(o, o + span, (T)0); continue; }
          const T* row = x + (b * s.H + yi) * s.W * s.C;
          // the k pixels of this filter row are contiguous in NHWC: one copy when all are inside the image
          if (inside) { std::copy(row + x0 * s.C, row + x0 * s.C + span, o); continue; }
          for (int64_t q = 0; q < s.k; q++) {
            const int64_t xi = x0 + q;
            if (xi < 0 || xi >= s.W) std::fill(o + q * s.C, o + (q + 1) * s.C, (T)0);
            else std::copy(row + xi * s.C, row + (xi + 1) * s.C, o + q * s.C);
          }
        }
      }
}

// col2im(dcols, B, H, W, C, k, pad, dX): the adjoint of im2col, dX = Σ over the patches that read each input (dX overwritten).
template <typename T>
void Col2imKernel(const T* cols, T* dx, const ConvShape& s) {
  const int64_t rowLen = s.k * s.k * s.C;
  std::fill(dx, dx + s.B * s.H * s.W * s.C, (T)0);
  for (int64_t b = 0; b < s.B; b++)
    for (int64_t y = 0; y < s.Ho; y++)
      for (int64_t xo = 0; xo < s.Wo; xo++) {
        const T* in = cols + ((b * s.Ho + y) * s.Wo + xo) * rowLen;
        for (int64_t r = 0; r < s.k; r++) {
          const int64_t yi = y + r - s.pad;
          if (yi < 0 || yi >= s.H) continue;
          for (int64_t q = 0; q < s.k; q++) {
            const int64_t xi = xo + q - s.pad;
            if (xi < 0 || xi >= s.W) continue;
            const T* g = in + (r * s.k + q) * s.C;
            T* o = dx + ((b * s.H + yi) * s.W + xi) * s.C;
            for (int64_t c = 0; c < s.C; c++) o[c] += g[c];
          }
        }
      }
}
RS_CLONES void Im2col32(const float* x, float* cols, const ConvShape& s) { Im2colKernel(x, cols, s); }
RS_CLONES void Im2col64(const double* x, double* cols, const ConvShape& s) { Im2colKernel(x, cols, s); }
RS_CLONES void Col2im32(const float* cols, float* dx, const ConvShape& s) { Col2imKernel(cols, dx, s); }
RS_CLONES void Col2im64(const double* cols, double* dx, const ConvShape& s) { Col2imKernel(cols, dx, s); }
void Im2colOf(const float* x, float* c, const ConvShape& s) { Im2col32(x, c, s); }
void Im2colOf(const double* x, double* c, const ConvShape& s) { Im2col64(x, c, s); }
void Col2imOf(const float* c, float* dx, const ConvShape& s) { Col2im32(c, dx, s); }
void Col2imOf(const double* c, double* dx, const ConvShape& s) { Col2im64(c, dx, s); }

template <typename T>
void Im2colT(const Napi::CallbackInfo& info, bool adjoint) {
  const char* op = adjoint ? "col2im" : "im2col";
  ConvShape s;
  if (!ConvShapeOf(info, 1, op, s)) return;
  auto X = info[0].As<Napi::TypedArrayOf<T>>();
  auto Cols = info[7].As<Napi::TypedArrayOf<T>>();
  // im2col(X, ..., cols); col2im(dcols, ..., dX): argument 0 is the source, 7 the destination
  const size_t image = (size_t)(s.B * s.H * s.W * s.C), patches = (size_t)(s.B * s.Ho * s.Wo * s.k * s.k * s.C);
  if (X.ElementLength() != (adjoint ? patches : image) || Cols.ElementLength() != (adjoint ? image : patches)) {
    Napi::TypeError::New(info.Env(), std::string(op) + ": buffer lengths do not match the shape").ThrowAsJavaScriptException();
    return;
  }
  if (adjoint) Col2imOf(X.Data(), Cols.Data(), s);
  else Im2colOf(X.Data(), Cols.Data(), s);
}

Napi::Value Im2col(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "im2col", "AnnnnnnA", [&](auto t) { Im2colT<decltype(t)>(info, false); });
}
Napi::Value Col2im(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "col2im", "AnnnnnnA", [&](auto t) { Im2colT<decltype(t)>(info, true); });
}

// maxPool2(X, B, H, W, C, Y, idx): 2×2 max-pool, stride 2, floor (Ho = ⌊H/2⌋); idx[i] = the index in X of the
// maximum that Y[i] took (the first of equal values, row-major over the window).
// maxPool2Backward(dY, idx, dX): dX = 0, then dX[idx[i]] += dY[i].
// the 2×2 windows, channels innermost (contiguous in NHWC); ties keep the first of the window in row-major order
template <typename T>
void MaxPool2Kernel(const T* x, T* y, int32_t* id, int64_t B, int64_t H, int64_t W, int64_t C) {
  const int64_t Ho = H / 2, Wo = W / 2;
  for (int64_t b = 0; b < B; b++)
    for (int64_t i = 0; i < Ho; i++)
      for (int64_t j = 0; j < Wo; j++) {
        const int64_t a00 = ((b * H + 2 * i) * W + 2 * j) * C, a01 = a00 + C, a10 = a00 + W * C, a11 = a10 + C;
        T* yo = y + ((b * Ho + i) * Wo + j) * C;
        int32_t* io = id + ((b * Ho + i) * Wo + j) * C;
        for (int64_t c = 0; c < C; c++) {
          int64_t best = a00 + c;
          T v = x[best];
          if (x[a01 + c] > v) { best = a01 + c; v = x[best]; }
          if (x[a10 + c] > v) { best = a10 + c; v = x[best]; }
          if (x[a11 + c] > v) { best = a11 + c; v = x[best]; }
          yo[c] = v;
          io[c] = (int32_t)best;
        }
      }
}
RS_CLONES void MaxPool2_32(const float* x, float* y, int32_t* id, int64_t B, int64_t H, int64_t W, int64_t C) { MaxPool2Kernel(x, y, id, B, H, W, C); }
RS_CLONES void MaxPool2_64(const double* x, double* y, int32_t* id, int64_t B, int64_t H, int64_t W, int64_t C) { MaxPool2Kernel(x, y, id, B, H, W, C); }
void MaxPool2Of(const float* x, float* y, int32_t* id, int64_t B, int64_t H, int64_t W, int64_t C) { MaxPool2_32(x, y, id, B, H, W, C); }
void MaxPool2Of(const double* x, double* y, int32_t* id, int64_t B, int64_t H, int64_t W, int64_t C) { MaxPool2_64(x, y, id, B, H, W, C); }

template <typename T>
void MaxPool2T(const Napi::CallbackInfo& info) {
  auto X = info[0].As<Napi::TypedArrayOf<T>>();
  int64_t B = info[1].As<Napi::Number>().Int64Value(), H = info[2].As<Napi::Number>().Int64Value();
  int64_t W = info[3].As<Napi::Number>().Int64Value(), C = info[4].As<Napi::Number>().Int64Value();
  auto Y = info[5].As<Napi::TypedArrayOf<T>>();
  auto Idx = info[6].As<Napi::Int32Array>();
  const int64_t Ho = H / 2, Wo = W / 2;
  if (B < 1 || Ho < 1 || Wo < 1 || C < 1 || X.ElementLength() != (size_t)(B * H * W * C) || Y.ElementLength() != (size_t)(B * Ho * Wo * C) || Idx.ElementLength() != Y.ElementLength()) {
    Napi::TypeError::New(info.Env(), "maxPool2: buffer lengths do not match the shape").ThrowAsJavaScriptException();
    return;
  }
  MaxPool2Of(X.Data(), Y.Data(), Idx.Data(), B, H, W, C);
}

Napi::Value MaxPool2(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "maxPool2", "AnnnnAI", [&](auto t) { MaxPool2T<decltype(t)>(info); });
}

template <typename T>
void MaxPool2BackwardT(const Napi::CallbackInfo& info) {
  auto DY = info[0].As<Napi::TypedArrayOf<T>>();
  auto Idx = info[1].As<Napi::Int32Array>();
  auto DX = info[2].As<Napi::TypedArrayOf<T>>();
  size_t n = DY.ElementLength(), m = DX.ElementLength();
  if (Idx.ElementLength() != n) { Napi::TypeError::New(info.Env(), "maxPool2Backward: dY and idx differ in length").ThrowAsJavaScriptException(); return; }
  const int32_t* id = Idx.Data();
  for (size_t i = 0; i < n; i++)
    if (id[i] < 0 || (size_t)id[i] >= m) { Napi::RangeError::New(info.Env(), "maxPool2Backward: index outside dX").ThrowAsJavaScriptException(); return; }
  T* dx = DX.Data(); const T* dy = DY.Data();
  std::fill(dx, dx + m, (T)0);
  for (size_t i = 0; i < n; i++) dx[id[i]] += dy[i];
}

Napi::Value MaxPool2Backward(const Napi::CallbackInfo& info) {
  return ByPrecision(info, 0, "maxPool2Backward", "AIA", [&](auto t) { MaxPool2BackwardT<decltype(t)>(info); });
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
  exports.Set("eigvalsh2stage", Napi::Function::New(env, Eigvalsh2Stage));
  exports.Set("symmetryScan", Napi::Function::New(env, SymmetryScan));
  exports.Set("svd", Napi::Function::New(env, Svd));
  exports.Set("solve", Napi::Function::New(env, Solve));
  exports.Set("lstsq", Napi::Function::New(env, Lstsq));
  exports.Set("gemmInto", Napi::Function::New(env, GemmInto));
  exports.Set("axpy", Napi::Function::New(env, Axpy));
  exports.Set("activate", Napi::Function::New(env, Activate));
  exports.Set("hadamard", Napi::Function::New(env, Hadamard));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("gatherRows", Napi::Function::New(env, GatherRows));
  exports.Set("addBias", Napi::Function::New(env, AddBias));
  exports.Set("biasGradient", Napi::Function::New(env, BiasGradient));
  exports.Set("im2col", Napi::Function::New(env, Im2col));
  exports.Set("col2im", Napi::Function::New(env, Col2im));
  exports.Set("maxPool2", Napi::Function::New(env, MaxPool2));
  exports.Set("maxPool2Backward", Napi::Function::New(env, MaxPool2Backward));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads));
  return exports;
}

}  // namespace

NODE_API_MODULE(rankscope_lapack, Init)
