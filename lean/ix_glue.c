/* Glue between Lean runtime objects and the ix C ABI (include/ix.h).
 *
 * Each `lean_rs_*` function is the `@[extern]` target of a declaration in
 * Ix/KernelCheck.lean: it takes the Lean arguments in the same order as the
 * C function it calls (borrowed `String`s become `const char *`, `UInt8`,
 * `UInt32` and `Float` pass as C scalars), adds the message buffer, and turns
 * the status into an `IO` result: accept, reject and decline are values
 * `(status, message)`; every other status is an `IO.userError`. */

#include <lean/lean.h>
#include <stdint.h>

#include "ix.h"

/* Longest message kept from the Rust side. */
#define IX_MESSAGE_BYTES 4096

static lean_obj_res ix_result(IxStatus status, const char *message) {
    if (status == IX_STATUS_OK || status == IX_STATUS_REJECT || status == IX_STATUS_DECLINE) {
        lean_object *pair = lean_alloc_ctor(0, 2, 0);
        lean_ctor_set(pair, 0, lean_box_uint32((uint32_t)status));
        lean_ctor_set(pair, 1, lean_mk_string(message));
        return lean_io_result_mk_ok(pair);
    }
    return lean_io_result_mk_error(lean_mk_io_user_error(lean_mk_string(message)));
}

/* An empty Lean string stands for "none" where the C ABI takes a nullable path. */
static const char *optional_path(b_lean_obj_arg s) {
    const char *p = lean_string_cstr(s);
    return p[0] == '\0' ? NULL : p;
}

LEAN_EXPORT lean_obj_res lean_rs_compile(b_lean_obj_arg ndjson_path, b_lean_obj_arg out_path, lean_obj_arg world) {
    (void)world;
    char message[IX_MESSAGE_BYTES];
    IxStatus s = rs_compile(lean_string_cstr(ndjson_path), lean_string_cstr(out_path), message, sizeof message);
    return ix_result(s, message);
}

LEAN_EXPORT lean_obj_res lean_rs_kernel_check(b_lean_obj_arg input_path, uint32_t parallelism, lean_obj_arg world) {
    (void)world;
    char message[IX_MESSAGE_BYTES];
    IxStatus s = rs_kernel_check(lean_string_cstr(input_path), parallelism, message, sizeof message);
    return ix_result(s, message);
}

LEAN_EXPORT lean_obj_res lean_rs_kernel_profile_anon(b_lean_obj_arg ixe_path, b_lean_obj_arg out_path, uint8_t isolate,
                                                     uint8_t quiet, uint32_t parallelism, lean_obj_arg world) {
    (void)world;
    char message[IX_MESSAGE_BYTES];
    IxStatus s = rs_kernel_profile_anon(lean_string_cstr(ixe_path), lean_string_cstr(out_path), isolate, quiet,
                                        parallelism, message, sizeof message);
    return ix_result(s, message);
}

LEAN_EXPORT lean_obj_res lean_rs_kernel_check_shard(b_lean_obj_arg ixe_path, b_lean_obj_arg manifest_path, uint32_t shard,
                                                    b_lean_obj_arg claim_dir, lean_obj_arg world) {
    (void)world;
    char message[IX_MESSAGE_BYTES];
    IxStatus s = rs_kernel_check_shard(lean_string_cstr(ixe_path), lean_string_cstr(manifest_path), shard,
                                       optional_path(claim_dir), message, sizeof message);
    return ix_result(s, message);
}

LEAN_EXPORT lean_obj_res lean_rs_shard_esp(b_lean_obj_arg profile_path, uint32_t n_shards, double balance,
                                           uint32_t parallelism, b_lean_obj_arg out_path, lean_obj_arg world) {
    (void)world;
    char message[IX_MESSAGE_BYTES];
    IxStatus s = rs_shard_esp(lean_string_cstr(profile_path), n_shards, balance, parallelism, lean_string_cstr(out_path),
                              message, sizeof message);
    return ix_result(s, message);
}
