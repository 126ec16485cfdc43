// Limits shared by the recursive patch and apply code.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_PATCH_LIMITS_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_PATCH_LIMITS_H_

namespace kargo_token::kube_sim {

// kMaxPatchDepth bounds recursion over request bodies. Kubernetes objects of
// the kinds kube-sim serves nest under 15 levels; 100 keeps the stack small
// even in sanitizer builds and on server threads (a hostile 1000-level patch
// overflowed an ASan stack). Patches and merges deeper than this are
// rejected with 400; apply bookkeeping treats deeper values as one leaf.
inline constexpr int kMaxPatchDepth = 100;

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_PATCH_LIMITS_H_
