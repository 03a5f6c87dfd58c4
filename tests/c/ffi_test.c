/* Calls every entry point of the ix C ABI on real bundled data, success and
 * failure, and checks statuses, messages and output files.
 * Usage: ffi_test GOOD.ndjson BAD.ndjson WORKDIR
 * (GOOD must have at least two blocks, so that it splits into two shards.)
 * Prints "N passed, M failed" and exits non-zero on any failure. */

#include "ix.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int passed, failed;

static void expect(int ok, const char *what, const char *message) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL: %s (message: %s)\n", what, message);
    }
}

static int file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s GOOD.ndjson BAD.ndjson WORKDIR\n", argv[0]);
        return 2;
    }
    const char *good = argv[1], *bad = argv[2], *work = argv[3];
    char err[512], ixe[1024], esp[1024], ixes[1024], missing[1024], claims[1024], claim[1100];
    snprintf(ixe, sizeof ixe, "%s/good.ixe", work);
    snprintf(esp, sizeof esp, "%s/good.ixesp", work);
    snprintf(ixes, sizeof ixes, "%s/good.ixes", work);
    snprintf(missing, sizeof missing, "%s/does-not-exist.ndjson", work);
    snprintf(claims, sizeof claims, "%s/claims", work);

    /* compile */
    IxStatus s = rs_compile(good, ixe, err, sizeof err);
    expect(s == IX_STATUS_OK && file_exists(ixe), "rs_compile writes an .ixe", err);
    s = rs_compile(missing, ixe, err, sizeof err);
    expect(s == IX_STATUS_FAILED && strstr(err, "does-not-exist") != NULL, "rs_compile names a missing file", err);
    s = rs_compile(NULL, ixe, err, sizeof err);
    expect(s == IX_STATUS_INVALID_ARGUMENT, "rs_compile refuses a null path", err);

    /* check */
    s = rs_kernel_check(ixe, 1, err, sizeof err);
    expect(s == IX_STATUS_OK && strncmp(err, "accept", 6) == 0, "rs_kernel_check accepts the .ixe", err);
    s = rs_kernel_check(good, 2, err, sizeof err);
    expect(s == IX_STATUS_OK, "rs_kernel_check accepts the .ndjson", err);
    s = rs_kernel_check(bad, 2, err, sizeof err);
    expect(s == IX_STATUS_REJECT && strncmp(err, "reject", 6) == 0, "rs_kernel_check rejects a bad export", err);
    s = rs_kernel_check(missing, 1, err, sizeof err);
    expect(s == IX_STATUS_FAILED && strstr(err, "does-not-exist") != NULL,
           "rs_kernel_check gives no verdict on a missing file (IX_STATUS_FAILED)", err);
    s = rs_kernel_check(NULL, 1, err, sizeof err);
    expect(s == IX_STATUS_INVALID_ARGUMENT, "rs_kernel_check refuses a null path", err);

    /* profile */
    s = rs_kernel_profile_anon(ixe, esp, 1, 1, 2, err, sizeof err);
    expect(s == IX_STATUS_OK && file_exists(esp) && strstr(err, "blocks") != NULL, "rs_kernel_profile_anon writes a profile", err);
    s = rs_kernel_profile_anon(ixe, esp, 0, 1, 1, err, sizeof err);
    expect(s == IX_STATUS_INVALID_ARGUMENT, "rs_kernel_profile_anon refuses isolate = 0", err);
    s = rs_kernel_profile_anon(bad, esp, 1, 1, 1, err, sizeof err);
    expect(s == IX_STATUS_FAILED && strstr(err, "does not accept") != NULL, "rs_kernel_profile_anon refuses a rejected env", err);
    s = rs_kernel_profile_anon(ixe, NULL, 1, 1, 1, err, sizeof err);
    expect(s == IX_STATUS_INVALID_ARGUMENT, "rs_kernel_profile_anon refuses a null output", err);

    /* shard */
    s = rs_shard_esp(esp, 2, 0.05, 2, ixes, err, sizeof err);
    expect(s == IX_STATUS_OK && file_exists(ixes), "rs_shard_esp writes a manifest", err);
    s = rs_shard_esp(esp, 0, 0.05, 1, ixes, err, sizeof err);
    expect(s == IX_STATUS_INVALID_ARGUMENT, "rs_shard_esp refuses N = 0", err);
    s = rs_shard_esp(esp, 2, -1.0, 1, ixes, err, sizeof err);
    expect(s == IX_STATUS_INVALID_ARGUMENT, "rs_shard_esp refuses a negative balance", err);
    s = rs_shard_esp(esp, 1000000, 0.05, 1, ixes, err, sizeof err);
    expect(s == IX_STATUS_FAILED, "rs_shard_esp refuses N above the block count", err);
    s = rs_shard_esp(missing, 4, 0.05, 1, ixes, err, sizeof err);
    expect(s == IX_STATUS_FAILED && strstr(err, "does-not-exist") != NULL, "rs_shard_esp names a missing file", err);

    /* check one shard, with its claim (the claim folder made on the way) */
    for (unsigned k = 0; k < 2; k++) {
        s = rs_kernel_check_shard(ixe, ixes, k, claims, err, sizeof err);
        snprintf(claim, sizeof claim, "%s/shard-%u.json", claims, k);
        expect(s == IX_STATUS_OK && file_exists(claim), "rs_kernel_check_shard accepts and writes a claim", err);
    }
    s = rs_kernel_check_shard(ixe, ixes, 0, ixe, err, sizeof err);
    expect(s == IX_STATUS_FAILED && strstr(err, "cannot create") != NULL, "rs_kernel_check_shard refuses a file as the claim folder", err);
    s = rs_kernel_check_shard(ixe, ixes, 7, NULL, err, sizeof err);
    expect(s == IX_STATUS_FAILED && strstr(err, "does not exist") != NULL, "rs_kernel_check_shard refuses a missing shard", err);
    s = rs_kernel_check_shard(ixe, esp, 0, NULL, err, sizeof err);
    expect(s == IX_STATUS_FAILED, "rs_kernel_check_shard refuses a profile as a manifest", err);

    /* the error buffer: truncation keeps a terminator, and null is allowed when empty */
    char tiny[8];
    memset(tiny, 'x', sizeof tiny);
    s = rs_kernel_check(ixe, 1, tiny, sizeof tiny);
    expect(s == IX_STATUS_OK && tiny[7] == '\0' && strlen(tiny) == 7, "messages are truncated to the buffer", tiny);
    s = rs_kernel_check(ixe, 1, NULL, 0);
    expect(s == IX_STATUS_OK, "a null buffer of length 0 is accepted", "");

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
