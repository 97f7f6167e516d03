// Shared by every Geyser compute shader: 16x16 work groups, and exact byte <-> unorm conversion
// (an rgba8unorm texel reads back as c / 255.0, and round(c / 255.0 * 255.0) == c for every byte).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;

// A macro, not a function: GLSL image parameters would need the caller's format qualifier.
#define loadBytes(image, p) uvec4(round(imageLoad(image, p) * 255.0))
vec4 toUnorm(uvec4 bytes) { return vec4(bytes) / 255.0; }
