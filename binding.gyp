{
  "variables": {
    "has_vulkan_headers%": "<!(node native/probe-vulkan-headers.cjs)"
  },
  "targets": [
    {
      "target_name": "geyser",
      "sources": ["<!@(node native/list-sources.cjs)"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native"
      ],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "conditions": [
        ["OS=='linux'", { "libraries": ["-ldl", "-lpthread"] }],
        ["has_vulkan_headers==1", { "defines": ["GEYSER_WITH_VULKAN=1", "VK_NO_PROTOTYPES"] }],
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CPLUSPLUSFLAGS": ["-fobjc-arc"]
          },
          "libraries": ["-framework Metal", "-framework IOSurface", "-framework Foundation"]
        }],
        ["OS=='win'", { "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1 } } }]
      ]
    }
  ]
}
