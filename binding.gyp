{
  "targets": [
    {
      "target_name": "rankscope_lapack",
      "sources": ["src/linalg/native/lapack_addon.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "/usr/include/x86_64-linux-gnu", "/usr/include/openblas"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags_cc": ["-O3", "-fno-math-errno", "-std=c++17"],
      "libraries": ["-llapacke", "-lopenblas"],
      "conditions": [["target_arch=='x64' and OS=='linux'", {"libraries": ["-lmvec"]}]]
    }
  ]
}
