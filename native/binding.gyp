{
  "targets": [
    {
      "target_name": "kmodel_blas",
      "sources": ["src/addon.cc", "src/gemm.cc", "src/conv.cc", "src/depthwise.cc", "src/pool.cc", "src/elementwise.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions", "-pthread", "-Wall", "-Wextra"],
      "cflags_cc!": ["-fno-rtti"],
      "libraries": ["-lopenblas", "-pthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
